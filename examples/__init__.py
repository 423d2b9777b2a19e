"""Examples of using the generated data layer."""
