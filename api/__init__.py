"""HTTP layer of lapor-nlp: thin FastAPI routers over ``lapor_nlp`` (app factory: ``api.app``)."""
