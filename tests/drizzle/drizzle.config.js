module.exports = { schema: "./schema.js", out: process.env.DRIZZLE_OUT || "./out", dialect: "sqlite" };
