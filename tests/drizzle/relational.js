// node relational.js DB DRIVER CALLS — Drizzle ORM's relational query on the blog of the
// golden `relations` schema (tests/golden/relations): 100 posts, each with its author
// and its comments, as bench/relational.py asks libsqlkit. DRIVER: better-sqlite3 |
// libsql. Prints {"posts with author and comments": seconds, "rows": [checks]}.
const { relations, desc } = require("drizzle-orm");
const { sqliteTable, text, integer } = require("drizzle-orm/sqlite-core");

const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  managerId: text("manager_id"),
  createdAt: integer("created_at", { mode: "timestamp" }).notNull(),
  deletedAt: integer("deleted_at", { mode: "timestamp" }),
});
const posts = sqliteTable("posts", {
  id: text("id").primaryKey(),
  authorId: text("author_id").notNull(),
  title: text("title").notNull(),
  published: integer("published", { mode: "boolean" }).notNull(),
  createdAt: integer("created_at", { mode: "timestamp" }).notNull(),
  deletedAt: integer("deleted_at", { mode: "timestamp" }),
});
const comments = sqliteTable("comments", {
  id: text("id").primaryKey(),
  postId: text("post_id").notNull(),
  authorId: text("author_id").notNull(),
  body: text("body").notNull(),
  approved: integer("approved", { mode: "boolean" }).notNull(),
  createdAt: integer("created_at", { mode: "timestamp" }).notNull(),
});
const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));
const postsRelations = relations(posts, ({ one, many }) => ({
  author: one(users, { fields: [posts.authorId], references: [users.id] }),
  comments: many(comments),
}));
const commentsRelations = relations(comments, ({ one }) => ({
  post: one(posts, { fields: [comments.postId], references: [posts.id] }),
}));
const schema = { users, posts, comments, usersRelations, postsRelations, commentsRelations };

const [file, driver, callsText] = process.argv.slice(2);
const calls = Number(callsText);

function open() {
  if (driver === "better-sqlite3") {
    const Database = require("better-sqlite3");
    const { drizzle } = require("drizzle-orm/better-sqlite3");
    const raw = new Database(file);
    raw.pragma("journal_mode = WAL");
    return { db: drizzle(raw, { schema }), close: () => raw.close() };
  }
  const { createClient } = require("@libsql/client");
  const { drizzle } = require("drizzle-orm/libsql");
  const client = createClient({ url: `file:${file}` });
  return { db: drizzle(client, { schema }), close: () => client.close() };
}

async function main() {
  const { db, close } = open();
  // The same query as libsqlkit's: the newest 100 posts, each with its author and its
  // comments in creation order (Drizzle builds the tree with SQLite's JSON functions).
  const feed = () =>
    db.query.posts.findMany({
      orderBy: [desc(posts.createdAt), posts.id],
      limit: 100,
      with: { author: true, comments: { orderBy: [comments.createdAt, comments.id] } },
    });
  const first = await feed();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await feed();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  close();
  const checks = first.map((p) => [p.id, p.author.name, p.comments.length]);
  console.log(JSON.stringify({ "posts with author and comments": seconds, rows: checks }));
}

main().catch((error) => { console.error(error); process.exit(1); });
