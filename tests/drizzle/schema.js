// The design's schema (database-design.ja.md §15.3 and §15.7), written for Drizzle ORM.
const { sqliteTable, text, integer, index } = require("drizzle-orm/sqlite-core");

const workflows = sqliteTable(
  "workflows",
  {
    id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
    type: text("type").notNull(),
    userId: text("user_id").notNull(),
    status: text("status", { enum: ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"] })
      .notNull()
      .default("PENDING"),
    inputPayload: text("input_payload", { mode: "json" }),
    outputPayload: text("output_payload", { mode: "json" }),
    errorLog: text("error_log"),
    retryCount: integer("retry_count").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp" }).notNull().$defaultFn(() => new Date()),
    updatedAt: integer("updated_at", { mode: "timestamp" }).notNull().$defaultFn(() => new Date()),
    completedAt: integer("completed_at", { mode: "timestamp" }),
    deletedAt: integer("deleted_at", { mode: "timestamp" }),
  },
  (t) => [
    index("idx_workflows_status").on(t.status),
    index("idx_workflows_user_id").on(t.userId),
    index("idx_workflows_created_at").on(t.createdAt),
    index("idx_workflows_type_status").on(t.type, t.status),
  ],
);

const userSettings = sqliteTable("user_settings", {
  id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
  userId: text("user_id").notNull().unique(),
  preferences: text("preferences", { mode: "json" }),
  createdAt: integer("created_at", { mode: "timestamp" }).notNull().$defaultFn(() => new Date()),
  updatedAt: integer("updated_at", { mode: "timestamp" }).notNull().$defaultFn(() => new Date()),
});

const syncMetadata = sqliteTable("sync_metadata", {
  id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
  tableName: text("table_name").notNull(),
  lastSyncAt: integer("last_sync_at", { mode: "timestamp" }),
  syncStatus: text("sync_status", { enum: ["PENDING", "SYNCING", "COMPLETED", "FAILED"] })
    .notNull()
    .default("PENDING"),
});

module.exports = { workflows, userSettings, syncMetadata };
