/// The HTML of `GET /docs` (Swagger UI) and `GET /redoc` (ReDoc). Both load their bundle from
/// `/docs/assets/` and the contract from `/openapi.json`: same origin, nothing from the network.
enum DocumentationPages {
    static let swaggerUI = """
    <!doctype html>
    <html lang="en">
    <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>qtq task API · Swagger UI</title>
      <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
    </head>
    <body>
      <div id="swagger-ui"></div>
      <script src="/docs/assets/swagger-ui-bundle.js"></script>
      <script>
        window.ui = SwaggerUIBundle({
          url: "/openapi.json",
          dom_id: "#swagger-ui",
          deepLinking: true,
          presets: [SwaggerUIBundle.presets.apis],
          layout: "BaseLayout",
          // No validator badge: it would call a remote service.
          validatorUrl: null
        });
      </script>
    </body>
    </html>

    """

    static let redoc = """
    <!doctype html>
    <html lang="en">
    <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>qtq task API · ReDoc</title>
    </head>
    <body>
      <redoc spec-url="/openapi.json"></redoc>
      <script src="/docs/assets/redoc.standalone.js"></script>
    </body>
    </html>

    """
}
