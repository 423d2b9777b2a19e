// node remote_bench.js URL OPS_JSON — the remote calls of bench/remote.py against a sqld,
// through @libsql/client as is (the same SQL text as the generated repository) and
// through Drizzle ORM on it. The token comes from LIBSQL_AUTH_TOKEN (never argv).
// OPS_JSON: {calls, ids, users, writer, sql: {find_by_id, find_by_user_id}}; creates
// are for `writer`, not one of `users`, so every contender reads the same rows.
// Prints {contender: {workload: [seconds per call, ...]}}.
const { createClient } = require("@libsql/client");
const { drizzle } = require("drizzle-orm/libsql");
const { and, asc, desc, eq, isNull } = require("drizzle-orm");
const { workflows } = require("./schema.js");

const [url, opsJson] = process.argv.slice(2);
const ops = JSON.parse(opsJson);

async function perCall(calls, step) {
  await step(0); // a warm connection, as the Python contenders have
  const seconds = [];
  for (let i = 0; i < calls; i++) {
    const start = process.hrtime.bigint();
    await step(i);
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return seconds;
}

async function main() {
  const client = createClient({ url, authToken: process.env.LIBSQL_AUTH_TOKEN });
  const db = drizzle(client);
  const id = (i) => ops.ids[(i * 7) % ops.ids.length];
  const user = (i) => ops.users[i % ops.users.length];
  const raw = {
    find_by_id: (i) => client.execute({ sql: ops.sql.find_by_id, args: [id(i)] }),
    "find_by_user_id (~20 rows)": (i) =>
      client.execute({ sql: ops.sql.find_by_user_id, args: [user(i)] }),
  };
  const orm = {
    find_by_id: async (i) => (await db.select().from(workflows)
      .where(and(eq(workflows.id, id(i)), isNull(workflows.deletedAt))).limit(1))[0] ?? null,
    "find_by_user_id (~20 rows)": (i) => db.select().from(workflows)
      .where(and(eq(workflows.userId, user(i)), isNull(workflows.deletedAt)))
      .orderBy(desc(workflows.createdAt), asc(workflows.id)),
    create: async (i) => (await db.insert(workflows)
      .values({ type: "t", userId: ops.writer }).returning())[0],
    update_status: async (i) => {
      const now = new Date();
      return (await db.update(workflows).set({ status: "COMPLETED", updatedAt: now, completedAt: now })
        .where(and(eq(workflows.id, id(i)), isNull(workflows.deletedAt))).returning())[0] ?? null;
    },
  };
  const out = { "@libsql/client (Node)": {}, "Drizzle + @libsql/client (Node)": {} };
  for (const [name, step] of Object.entries(raw)) out["@libsql/client (Node)"][name] = await perCall(ops.calls, step);
  for (const [name, step] of Object.entries(orm)) out["Drizzle + @libsql/client (Node)"][name] = await perCall(ops.calls, step);
  client.close();
  console.log(JSON.stringify(out));
}

main().catch((error) => { console.error(error); process.exit(1); });
