import { Router } from 'express';
import type { Config } from '../../config/load';
import { RemediationCatalog } from '../../kpi/remediation-catalog';
import type { ExporterState } from '../../poller/snapshots';
import type { Store } from '../../store/store';
import { bearerAuth } from './auth';
import type { ApiContext } from './context';
import { dimensionsHandler } from './dimensions';
import { findingsHandler } from './findings';
import { kpisDailyHandler } from './kpis';
import { openApiDocument } from './openapi';
import { remediationsHandler } from './remediations';
import { dailyReportHandler } from './reports';
import { rulesHandler } from './rules';
import { summaryHandler } from './summary';

/** /api/v1: read-only JSON over the store and the latest snapshots; never calls AWS. */
export function createApiRouter(deps: { state: ExporterState; store: Store; config: Config; now: () => number }): Router {
  const ctx: ApiContext = { ...deps, catalog: new RemediationCatalog(deps.store.db, deps.state, deps.config) };
  const router = Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  router.use(bearerAuth(deps.config.apiToken));
  router.get('/summary', summaryHandler(ctx));
  router.get('/kpis/daily', kpisDailyHandler(ctx));
  router.get('/findings', findingsHandler(ctx));
  router.get('/remediations', remediationsHandler(ctx));
  router.get('/rules', rulesHandler(ctx));
  router.get('/dimensions', dimensionsHandler(ctx));
  router.get('/reports/daily', dailyReportHandler(ctx));
  return router;
}
