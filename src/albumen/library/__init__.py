"""The library: photos coming in (ingest, import), their processing stages, assets, albums,
duplicates and bursts, moments and places."""
