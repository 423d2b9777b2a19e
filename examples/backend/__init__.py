"""A backend serving the design's workflow endpoints: FastAPI on uvicorn (app.py), and the
same endpoints on Node.js with Drizzle (node/), for comparison."""
