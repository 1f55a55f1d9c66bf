import { Router } from 'express';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Compliance Pulse exporter</title></head>
<body>
<h1>Compliance Pulse exporter</h1>
<p>AWS Config compliance and SSM Automation remediation, polled in the background.</p>
<ul>
<li><a href="metrics">Metrics</a></li>
<li><a href="api/v1/summary">Summary (JSON)</a></li>
<li><a href="api/v1/openapi.json">API description (OpenAPI)</a></li>
<li><a href="-/healthy">Health</a> and <a href="-/ready">readiness</a></li>
</ul>
</body>
</html>
`;

export function landingRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.type('html').send(PAGE);
  });
  return router;
}
