// Starts ReDoc on /redoc from the vendored bundle; a file, not an inline script (see docs.js).
"use strict";
(function () {
  const root = document.getElementById("redoc");
  Redoc.init(root.dataset.openapiUrl, { hideDownloadButton: false }, root);
})();
