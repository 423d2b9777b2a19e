// A Drizzle schema beyond the design's, for `pull` (tests/test_pull.py): what drizzle-kit
// writes for checks on qualified columns, an enum CHECK, boolean, timestamp and JSON
// defaults, partial, composite and unique indexes, and foreign key actions.
import { sql } from "drizzle-orm";
import {
  blob,
  check,
  index,
  integer,
  numeric,
  real,
  sqliteTable,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull().unique(),
    role: text("role", { enum: ["admin", "member"] }).notNull().default("member"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at", { mode: "timestamp" }).notNull().default(sql`(unixepoch())`),
    seenAt: integer("seen_at", { mode: "timestamp_ms" }).default(sql`(unixepoch() * 1000)`),
    score: real("score").default(1.5),
    meta: blob("meta", { mode: "json" }),
    big: blob("big", { mode: "bigint" }),
    amount: numeric("amount").default("1.10"),
    prefs: text("prefs", { mode: "json" }).default({ theme: "dark" }),
    team: text("team"),
    rank: integer("rank").default(-1),
  },
  (t) => [
    check("users_role_enum", sql`${t.role} IN ('admin', 'member')`),
    check("users_score_positive", sql`${t.score} > 0`),
    index("idx_users_active_email").on(t.email, t.createdAt).where(sql`${t.active} = 1`),
    uniqueIndex("idx_users_team_rank").on(t.team, t.rank),
    unique("users_team_email").on(t.team, t.email),
  ],
);

export const posts = sqliteTable(
  "posts",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade", onUpdate: "set null" }),
    editorId: integer("editor_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body"),
  },
  (t) => [index("idx_posts_user_id").on(t.userId)],
);
