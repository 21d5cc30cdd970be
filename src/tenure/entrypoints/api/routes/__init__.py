"""The v1 operations, one router per feature (each tagged with it in the OpenAPI schema);
:func:`tenure.entrypoints.api.create_app` includes them all. Handlers turn HTTP into use-case
calls; the JSON of the replies comes from :mod:`tenure.entrypoints.presenters`."""
