// Starts Swagger UI on /docs (templates/api_docs.html, after the vendored bundle) with
// FastAPI's usual settings; the URLs come from the page's data attributes, since the page
// runs no inline script (its Content-Security-Policy allows scripts from albumen only).
const root = document.getElementById("swagger-ui");
window.ui = window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null, // no badge from validator.swagger.io: nothing leaves the machine
  oauth2RedirectUrl: window.location.origin + root.dataset.oauth2RedirectUrl,
  presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
});
