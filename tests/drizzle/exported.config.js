// drizzle-kit's configuration for an exported schema (tests/test_export_drizzle.py).
module.exports = { schema: process.env.DRIZZLE_SCHEMA, out: process.env.DRIZZLE_OUT, dialect: "sqlite" };
