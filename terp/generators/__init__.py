"""One module per seed revision's data: each turns a SeedContext into rows."""
