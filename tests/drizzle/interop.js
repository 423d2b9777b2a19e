// node interop.js write DB | read DB
// write: insert the sample rows of sample.json through Drizzle; read: print every row as
// Drizzle returns it (Dates as epoch milliseconds), so Python can compare.
const fs = require("node:fs");
const path = require("node:path");
const Database = require("better-sqlite3");
const { drizzle } = require("drizzle-orm/better-sqlite3");
const schema = require("./schema.js");

const [command, file] = process.argv.slice(2);
const db = drizzle(new Database(file), { schema });
const sample = JSON.parse(fs.readFileSync(path.join(__dirname, "sample.json"), "utf8"));
const dates = (row, names) => Object.fromEntries(
  Object.entries(row).map(([k, v]) => [k, names.includes(k) && v !== null ? new Date(v) : v]),
);

if (command === "write") {
  const w = db.insert(schema.workflows)
    .values(dates(sample.workflow, ["createdAt", "updatedAt", "completedAt", "deletedAt"]))
    .returning().all();
  const s = db.insert(schema.userSettings)
    .values(dates(sample.userSettings, ["createdAt", "updatedAt"]))
    .returning().all();
  const m = db.insert(schema.syncMetadata).values(sample.syncMetadata).returning().all();
  console.log(JSON.stringify({ workflow: w[0].id, userSettings: s[0].id, syncMetadata: m[0].id }));
} else if (command === "read") {
  const plain = (rows) => rows.map((row) => Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.getTime() : v]),
  ));
  console.log(JSON.stringify({
    workflows: plain(db.select().from(schema.workflows).all()),
    userSettings: plain(db.select().from(schema.userSettings).all()),
    syncMetadata: plain(db.select().from(schema.syncMetadata).all()),
  }));
} else {
  console.error("usage: node interop.js write|read DB");
  process.exit(2);
}
