// Starts Swagger UI on /docs. A file rather than an inline script, so the page keeps the
// service's Content-Security-Policy (script-src 'self', nothing inline).
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis],
  });
})();
