// node bench.js DB DRIVER OPS_JSON — the bench/ workloads through Drizzle ORM.
// DRIVER: better-sqlite3 | libsql (@libsql/client). OPS_JSON maps each workload to
// [calls, rows per call], as bench/workloads.py does. Prints {workload: seconds}.
// node bench.js DB DRIVER turns — stays up and takes turns (bench/reads.py): each stdin
// line {"workload", "start", "calls"} runs calls start..start+calls-1 of that workload
// and answers one line, the seconds they took.
const readline = require("node:readline");
const { and, asc, desc, eq, isNull } = require("drizzle-orm");
const { workflows } = require("./schema.js");

const [file, driver, opsJson] = process.argv.slice(2);
const ops = opsJson === "turns" ? {} : JSON.parse(opsJson);
const USERS = 100;
const SEED_ROWS = 10000;

function open() {
  if (driver === "better-sqlite3") {
    const Database = require("better-sqlite3");
    const { drizzle } = require("drizzle-orm/better-sqlite3");
    const raw = new Database(file);
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    return { db: drizzle(raw), sync: true, close: () => raw.close() };
  }
  const { createClient } = require("@libsql/client");
  const { drizzle } = require("drizzle-orm/libsql");
  const client = createClient({ url: `file:${file}` });
  return { db: drizzle(client), sync: false, close: () => client.close() };
}

const payload = (i) => ({ prompt: `summarize document ${i}`, max_tokens: 256, tags: ["a", "b"] });
const row = (i) => ({ type: "summarize", userId: `user-${i % USERS}`, inputPayload: payload(i) });

async function main() {
  const { db, sync, close } = open();
  // Builders run with .all()/.run() on better-sqlite3 (synchronous) and are awaited on libsql.
  const all = (q) => (sync ? q.all() : q);
  const run = (q) => (sync ? q.run() : q);
  const ids = (await all(db.select({ id: workflows.id }).from(workflows))).map((r) => r.id);
  const steps = {
    find_by_id: async (i) => (await all(db.select().from(workflows)
      .where(and(eq(workflows.id, ids[(i * 7) % ids.length]), isNull(workflows.deletedAt))).limit(1)))[0] ?? null,
    "find_by_user_id (~100 rows)": (i) => all(db.select().from(workflows)
      .where(and(eq(workflows.userId, `user-${i % USERS}`), isNull(workflows.deletedAt)))
      .orderBy(desc(workflows.createdAt), asc(workflows.id))),
    "create (autocommit)": async (i) => (await all(db.insert(workflows).values(row(i)).returning()))[0],
    "create_many (per row, one transaction)": async () => {
      const rows = Array.from({ length: ops["create_many (per row, one transaction)"][1] }, (_, k) => row(SEED_ROWS + k));
      const chunks = [];
      for (let k = 0; k < rows.length; k += 500) chunks.push(rows.slice(k, k + 500));
      if (sync) db.transaction((tx) => { for (const c of chunks) tx.insert(workflows).values(c).run(); });
      else await db.transaction(async (tx) => { for (const c of chunks) await tx.insert(workflows).values(c); });
    },
    update_status: async (i) => {
      const now = new Date();
      return (await all(db.update(workflows).set({ status: "COMPLETED", updatedAt: now, completedAt: now })
        .where(and(eq(workflows.id, ids[(i * 3) % ids.length]), isNull(workflows.deletedAt))).returning()))[0] ?? null;
    },
    soft_delete: (i) => {
      const now = new Date();
      return run(db.update(workflows).set({ deletedAt: now, updatedAt: now })
        .where(and(eq(workflows.id, ids[ids.length - 1 - i]), isNull(workflows.deletedAt))));
    },
  };
  if (opsJson === "turns") {
    for await (const line of readline.createInterface({ input: process.stdin })) {
      const { workload, start, calls } = JSON.parse(line);
      const step = steps[workload];
      const begun = process.hrtime.bigint();
      for (let i = start; i < start + calls; i++) await step(i);
      process.stdout.write(`${Number(process.hrtime.bigint() - begun) / 1e9}\n`);
    }
    close();
    return;
  }
  const seconds = {};
  for (const [name, step] of Object.entries(steps)) {
    const calls = ops[name][0];
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await step(i);
    seconds[name] = Number(process.hrtime.bigint() - start) / 1e9;
  }
  close();
  console.log(JSON.stringify(seconds));
}

main().catch((error) => { console.error(error); process.exit(1); });
