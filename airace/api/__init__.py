"""The REST API: thin routes over the service layer, one JSON error shape, token-guarded writes."""
