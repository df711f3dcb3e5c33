"""The demo world: its content as data (`world`) and the builder that puts it in the database."""
