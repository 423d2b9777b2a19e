// The backend example's endpoints (examples/backend/app.py) on Node.js: Drizzle ORM +
// @libsql/client on node:http, one client per process, the same JSON in and out.
//
//   npm ci
//   TURSO_DATABASE_URL=http://127.0.0.1:8080 TURSO_AUTH_TOKEN=... PORT=8001 node server.js
//
// The schema is the design's Drizzle schema that the interop tests use
// (tests/drizzle/schema.js), loaded with this package's `require`.
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { createClient } = require("@libsql/client");
const { and, asc, desc, eq, isNull } = require("drizzle-orm");
const { drizzle } = require("drizzle-orm/libsql");

const SCHEMA = path.join(__dirname, "..", "..", "..", "tests", "drizzle", "schema.js");
const STATUSES = ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"];

/** Evaluate a CommonJS file with this package's require (one copy of drizzle-orm). */
function loadShared(file) {
  const module = { exports: {} };
  new Function("require", "module", "exports", fs.readFileSync(file, "utf8"))(
    require,
    module,
    module.exports,
  );
  return module.exports;
}

const { workflows, userSettings } = loadShared(SCHEMA);

class HttpError extends Error {
  constructor(status, detail, error) {
    super(detail);
    this.status = status;
    this.error = error;
  }
}

const missing = (id) => new HttpError(404, `no workflow ${id}`);

// -- JSON in and out: the Python app's field names and datetime layout ---------------------

const iso = (date) => (date === null ? null : date.toISOString().replace(".000Z", "Z"));

const workflowOut = (w) => ({
  id: w.id,
  type: w.type,
  user_id: w.userId,
  status: w.status,
  input_payload: w.inputPayload,
  output_payload: w.outputPayload,
  error_log: w.errorLog,
  retry_count: w.retryCount,
  created_at: iso(w.createdAt),
  updated_at: iso(w.updatedAt),
  completed_at: iso(w.completedAt),
  deleted_at: iso(w.deletedAt),
});

const settingsOut = (s) => ({
  id: s.id,
  user_id: s.userId,
  preferences: s.preferences,
  created_at: iso(s.createdAt),
  updated_at: iso(s.updatedAt),
});

function text(body, field, { optional = false } = {}) {
  const value = body[field];
  if (optional && (value === undefined || value === null)) return undefined;
  if (typeof value !== "string" || value.length === 0) {
    throw new HttpError(422, `${field}: a non-empty string is required`, "ValidationError");
  }
  return value;
}

const newWorkflow = (body, userId) => ({
  id: text(body, "id", { optional: true }),
  type: text(body, "type"),
  userId,
  inputPayload: body.input_payload ?? null,
});

// -- the endpoints ---------------------------------------------------------------------------

const live = (id) => and(eq(workflows.id, id), isNull(workflows.deletedAt));

function routes(db) {
  return [
    ["POST", /^\/workflows$/, async (_, body) => {
      const [row] = await db.insert(workflows).values(newWorkflow(body, text(body, "user_id"))).returning();
      return [201, workflowOut(row)];
    }],
    ["GET", /^\/workflows\/([^/]+)$/, async ([id]) => {
      const [row] = await db.select().from(workflows).where(live(id)).limit(1);
      if (row === undefined) throw missing(id);
      return [200, workflowOut(row)];
    }],
    ["GET", /^\/users\/([^/]+)\/workflows$/, async ([userId]) => {
      const rows = await db.select().from(workflows)
        .where(and(eq(workflows.userId, userId), isNull(workflows.deletedAt)))
        .orderBy(desc(workflows.createdAt), asc(workflows.id));
      return [200, rows.map(workflowOut)];
    }],
    ["PATCH", /^\/workflows\/([^/]+)\/status$/, async ([id], body) => {
      if (!STATUSES.includes(body.status)) {
        throw new HttpError(422, `status: one of ${STATUSES.join(", ")}`, "ValidationError");
      }
      const now = new Date();
      const errorLog = text(body, "error_log", { optional: true });
      const [row] = await db.update(workflows).set({
        status: body.status,
        updatedAt: now,
        ...(errorLog === undefined ? {} : { errorLog }),
        ...(body.status === "COMPLETED" ? { completedAt: now } : {}),
      }).where(live(id)).returning();
      if (row === undefined) throw missing(id);
      return [200, workflowOut(row)];
    }],
    ["DELETE", /^\/workflows\/([^/]+)$/, async ([id]) => {
      const now = new Date();
      const done = await db.update(workflows).set({ deletedAt: now, updatedAt: now }).where(live(id));
      if (done.rowsAffected === 0) throw missing(id);
      return [204, null];
    }],
    ["POST", /^\/users\/([^/]+)\/onboarding$/, async ([userId], body) => {
      const firsts = (body.workflows ?? []).map((w) => newWorkflow(w, userId));
      const made = await db.transaction(async (tx) => {
        const [settings] = await tx.insert(userSettings)
          .values({ userId, preferences: body.preferences ?? null }).returning();
        const created = [];
        for (const w of firsts) created.push((await tx.insert(workflows).values(w).returning())[0]);
        return { settings: settingsOut(settings), workflows: created.map(workflowOut) };
      });
      return [201, made];
    }],
    ["GET", /^\/health$/, async () => [200, { status: "ok", api: "node" }]],
  ];
}

// -- errors: the Python app's statuses -------------------------------------------------------

/** The SQLite code and message of a LibsqlError, which Drizzle wraps as `cause`. */
function sqliteError(error) {
  for (let e = error; e; e = e.cause) {
    if (typeof e.code === "string" && e.code.startsWith("SQLITE_")) return [e.code, e.message];
  }
  return ["", ""];
}

function failure(error) {
  if (error instanceof HttpError) return [error.status, error.message, error.error];
  const [code, message] = sqliteError(error);
  // A server sends the primary code only, so the kind of constraint is read from the
  // message, as the Python layer reads it.
  if (/(UNIQUE|PRIMARY KEY|FOREIGN KEY) constraint failed/.test(message)) return [409, message, code];
  if (code === "SQLITE_CONSTRAINT") return [422, message, code];
  if (code === "SQLITE_BUSY") return [503, "the database is busy, try again", code];
  console.error(error);
  return [500, "database error", code || error.name];
}

// -- the server ------------------------------------------------------------------------------

function serve(table, request, response) {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", async () => {
    let status;
    let payload;
    try {
      const url = request.url.split("?", 1)[0];
      let found = null;
      for (const [method, pattern, handle] of table) {
        const match = request.method === method && pattern.exec(url);
        if (match) found = [handle, match.slice(1).map(decodeURIComponent)];
      }
      if (found === null) throw new HttpError(404, "Not Found");
      let body = {};
      if (chunks.length > 0) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          throw new HttpError(422, "the body is not JSON", "ValidationError");
        }
      }
      [status, payload] = await found[0](found[1], body);
    } catch (error) {
      const [code, detail, kind] = failure(error);
      status = code;
      payload = kind ? { detail, error: kind } : { detail };
    }
    if (payload === null) {
      response.writeHead(status).end();
      return;
    }
    const out = JSON.stringify(payload);
    response
      .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(out) })
      .end(out);
  });
}

function main() {
  const url = process.env.TURSO_DATABASE_URL;
  if (!url) throw new Error("TURSO_DATABASE_URL is required");
  const client = createClient({ url, authToken: process.env.TURSO_AUTH_TOKEN || undefined });
  const table = routes(drizzle(client));
  const server = http.createServer((request, response) => serve(table, request, response));
  const port = Number(process.env.PORT || 8001);
  server.listen(port, process.env.HOST || "127.0.0.1", () => {
    console.log(`listening on http://${process.env.HOST || "127.0.0.1"}:${port}`);
  });
  const stop = () => server.close(() => { client.close(); process.exit(0); });
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main();
