import {
  CoreApp,
  DataFrame,
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  QueryResultMetaNotice,
  ScopedVars,
  TestDataSourceResponse,
  TimeRange,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv, TemplateSrv } from '@grafana/runtime';

import { kpiAnnotations } from './annotations';
import {
  ApiParams,
  decodeDailyKpis,
  decodeDimensions,
  decodeFindingsPage,
  decodeRemediationsPage,
  decodeRules,
  decodeSummary,
  Dimensions,
  ExporterClient,
  ExporterError,
  MAX_PAGE_SIZE,
  ProxyFetcher,
  Remediation,
  toExporterError,
} from './api';
import { dayRange, MAX_DAYS } from './dates';
import {
  dailyFrame,
  findingsFrame,
  monitoringBeganFrame,
  remediationEventsFrame,
  remediationsFrame,
  rulesFrame,
  summaryFrame,
} from './frames';
import { defaultQuery, migrateQuery } from './migrations';
import {
  DailyQuery,
  DEFAULT_TIME_ZONE,
  Dimension,
  EventOutcome,
  FindingsQuery,
  KpiDataSourceOptions,
  KpiQuery,
  MonitoringBeganQuery,
  RemediationEventsQuery,
  RemediationOutcome,
  RemediationsQuery,
  RulesQuery,
} from './types';
import { isTimeZone, validateQuery } from './validation';
import { KpiVariableSupport } from './variables';

const EVENT_STATUS: Record<EventOutcome, string> = {
  finished: 'succeeded,failed',
  succeeded: 'succeeded',
  failed: 'failed',
};

/** Annotations read at most this many executions per dashboard refresh. */
const MAX_EVENTS = MAX_PAGE_SIZE;

/** The part of Grafana's TemplateSrv the data source uses; tests pass a fake. */
export interface VariableInterpolator {
  replace: TemplateSrv['replace'];
  getVariables(): Array<{ name: string }>;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export class DataSource extends DataSourceApi<KpiQuery, KpiDataSourceOptions> {
  private readonly client: ExporterClient;
  private readonly exporterUrl: string;
  /** The time zone of queries that set none (jsonData.defaultTimeZone, else UTC). */
  readonly defaultTimeZone: string;
  private cachedDimensions?: Promise<Dimensions>;

  constructor(
    instanceSettings: DataSourceInstanceSettings<KpiDataSourceOptions>,
    fetcher: ProxyFetcher = getBackendSrv(),
    private readonly templateSrv: VariableInterpolator = getTemplateSrv()
  ) {
    super(instanceSettings);
    this.client = new ExporterClient(instanceSettings.url, fetcher);
    this.exporterUrl = instanceSettings.jsonData.exporterUrl ?? '';
    this.defaultTimeZone = instanceSettings.jsonData.defaultTimeZone || DEFAULT_TIME_ZONE;
    this.variables = new KpiVariableSupport(this);
    this.annotations = kpiAnnotations;
  }

  getDefaultQuery(_app: CoreApp): Partial<KpiQuery> {
    const { refId, ...query } = defaultQuery('daily');
    return query;
  }

  filterQuery(query: KpiQuery): boolean {
    return !query.hide;
  }

  /** Expands template variables in every filter; a multi-value variable becomes several list entries. */
  applyTemplateVariables(query: KpiQuery, scopedVars: ScopedVars): KpiQuery {
    const expand = (values: string[]) =>
      unique(
        values
          .flatMap((value) => this.templateSrv.replace(value, scopedVars, 'csv').split(','))
          .map((value) => value.trim())
          .filter(Boolean)
      );
    const replace = (value: string) => this.templateSrv.replace(value, scopedVars).trim();
    switch (query.queryType) {
      case 'summary':
        return query;
      case 'daily':
        return {
          ...query,
          accountIds: expand(query.accountIds),
          regions: expand(query.regions),
          severities: expand(query.severities),
          timeZone: replace(query.timeZone),
        };
      case 'findings':
      case 'rules':
        return {
          ...query,
          accountIds: expand(query.accountIds),
          regions: expand(query.regions),
          severities: expand(query.severities),
          rules: expand(query.rules),
        };
      case 'remediations':
      case 'remediationEvents':
        return {
          ...query,
          accountIds: expand(query.accountIds),
          regions: expand(query.regions),
          rules: expand(query.rules),
          documents: expand(query.documents),
          timeZone: replace(query.timeZone),
        };
      case 'monitoringBegan':
        return { ...query, accountIds: expand(query.accountIds), regions: expand(query.regions) };
    }
  }

  interpolateVariablesInQueries(queries: KpiQuery[], scopedVars: ScopedVars): KpiQuery[] {
    return queries.map((query) => this.applyTemplateVariables(migrateQuery(query), scopedVars));
  }

  async query(request: DataQueryRequest<KpiQuery>): Promise<DataQueryResponse> {
    const queries = request.targets.map(migrateQuery).filter((query) => this.filterQuery(query));
    const results = await Promise.all(
      queries.map(async (query): Promise<{ frames: DataFrame[] } | { error: DataQueryError }> => {
        try {
          return { frames: await this.runQuery(query, request) };
        } catch (error) {
          const failure = error instanceof Error ? error : toExporterError(error, query.queryType);
          return {
            error: {
              refId: query.refId,
              message: failure.message,
              ...(failure instanceof ExporterError && failure.status !== undefined && { status: failure.status }),
            },
          };
        }
      })
    );
    const data = results.flatMap((result) => ('frames' in result ? result.frames : []));
    const errors = results.flatMap((result) => ('error' in result ? [result.error] : []));
    return errors.length > 0 ? { data, errors } : { data };
  }

  private async runQuery(stored: KpiQuery, request: DataQueryRequest<KpiQuery>): Promise<DataFrame[]> {
    const issues = validateQuery(stored);
    if (issues.length > 0) {
      throw new Error(issues.map((issue) => issue.message).join(' '));
    }
    const query = this.applyTemplateVariables(stored, request.scopedVars);
    switch (query.queryType) {
      case 'summary': {
        const answer = await this.client.get('/api/v1/summary', {}, decodeSummary);
        return [summaryFrame(answer.body, { refId: query.refId, request: answer.request })];
      }
      case 'daily':
        return [await this.runDaily(query, request.range)];
      case 'findings':
        return [await this.runFindings(query)];
      case 'remediations':
        return [await this.runRemediations(query, request.range)];
      case 'rules':
        return [await this.runRules(query)];
      case 'remediationEvents':
        return [await this.runRemediationEvents(query, request.range)];
      case 'monitoringBegan':
        return [await this.runMonitoringBegan(query, request.range)];
    }
  }

  private timeZoneOf(query: { timeZone: string }): string {
    const timeZone = query.timeZone || this.defaultTimeZone;
    if (!isTimeZone(timeZone)) {
      throw new Error(`"${timeZone}" is not an IANA time zone such as Asia/Seoul or UTC.`);
    }
    return timeZone;
  }

  private async runDaily(query: DailyQuery, range: TimeRange): Promise<DataFrame> {
    const timeZone = this.timeZoneOf(query);
    const days = dayRange(range.from.valueOf(), range.to.valueOf(), timeZone);
    const params: ApiParams = {
      from: days.from,
      to: days.to,
      tz: timeZone,
      account_id: query.accountIds,
      region: query.regions,
      severity: query.severities,
    };
    const answer = await this.client.get('/api/v1/kpis/daily', params, decodeDailyKpis);
    const notices: QueryResultMetaNotice[] = days.clampedFrom
      ? [
          {
            severity: 'info',
            text: `The exporter answers at most ${MAX_DAYS} days: showing ${days.from} to ${days.to} instead of from ${days.clampedFrom}.`,
          },
        ]
      : [];
    return dailyFrame(answer.body, query.indicators, query.severities, {
      refId: query.refId,
      request: answer.request,
      notices,
    });
  }

  private async runFindings(query: FindingsQuery): Promise<DataFrame> {
    const params: ApiParams = {
      state: query.state === 'any' ? undefined : query.state,
      account_id: query.accountIds,
      region: query.regions,
      severity: query.severities,
      rule: query.rules,
    };
    const answer = await this.client.getPages('/api/v1/findings', params, decodeFindingsPage, query.limit);
    return findingsFrame(answer.body, { refId: query.refId, request: answer.request });
  }

  /** Executions whose start lies in the time range, newest first; the API's `from`/`to` are whole days. */
  private readExecutions(
    query: RemediationsQuery | RemediationEventsQuery,
    status: string | undefined,
    range: TimeRange,
    maxItems: number
  ) {
    const timeZone = this.timeZoneOf(query);
    const days = dayRange(range.from.valueOf(), range.to.valueOf(), timeZone);
    const params: ApiParams = {
      from: days.from,
      to: days.to,
      tz: timeZone,
      status,
      account_id: query.accountIds,
      region: query.regions,
      rule: query.rules,
      document: query.documents,
    };
    const fromMs = range.from.valueOf();
    const toMs = range.to.valueOf();
    const accept = (execution: Remediation) =>
      execution.start_time > toMs ? 'skip' : execution.start_time < fromMs ? 'stop' : 'keep';
    return this.client.getPages('/api/v1/remediations', params, decodeRemediationsPage, maxItems, accept);
  }

  private async runRemediations(query: RemediationsQuery, range: TimeRange): Promise<DataFrame> {
    const status: Record<RemediationOutcome, string | undefined> = {
      any: undefined,
      succeeded: 'succeeded',
      failed: 'failed',
      running: 'running',
    };
    const answer = await this.readExecutions(query, status[query.outcome], range, query.limit);
    return remediationsFrame(answer.body, { refId: query.refId, request: answer.request });
  }

  private async runRemediationEvents(query: RemediationEventsQuery, range: TimeRange): Promise<DataFrame> {
    const answer = await this.readExecutions(query, EVENT_STATUS[query.outcome], range, MAX_EVENTS);
    return remediationEventsFrame(answer.body, { refId: query.refId, request: answer.request });
  }

  /**
   * `monitoring_began` does not depend on the days asked for, so one day (the last of the time range, in the data
   * source's time zone) is enough.
   */
  private async runMonitoringBegan(query: MonitoringBeganQuery, range: TimeRange): Promise<DataFrame> {
    const timeZone = this.timeZoneOf({ timeZone: '' });
    const lastDay = dayRange(range.to.valueOf(), range.to.valueOf(), timeZone).to;
    const params: ApiParams = {
      from: lastDay,
      to: lastDay,
      tz: timeZone,
      account_id: query.accountIds,
      region: query.regions,
    };
    const answer = await this.client.get('/api/v1/kpis/daily', params, decodeDailyKpis);
    return monitoringBeganFrame(
      answer.body.monitoring_began,
      { from: range.from.valueOf(), to: range.to.valueOf() },
      query,
      { refId: query.refId, request: answer.request }
    );
  }

  private async runRules(query: RulesQuery): Promise<DataFrame> {
    const params: ApiParams = {
      account_id: query.accountIds,
      region: query.regions,
      severity: query.severities,
      rule: query.rules,
    };
    const answer = await this.client.get('/api/v1/rules', params, decodeRules);
    return rulesFrame(answer.body.items, { refId: query.refId, request: answer.request });
  }

  /** The values a template variable offers, read fresh on every variable refresh. */
  async dimensionValues(dimension: Dimension): Promise<string[]> {
    const answer = await this.client.get('/api/v1/dimensions', {}, decodeDimensions);
    return answer.body[dimension];
  }

  /** Picker options for the editors, read once per data source instance (again after a failure). */
  getDimensions(): Promise<Dimensions> {
    if (!this.cachedDimensions) {
      this.cachedDimensions = this.client
        .get('/api/v1/dimensions', {}, decodeDimensions)
        .then((answer) => answer.body)
        .catch((error: unknown) => {
          this.cachedDimensions = undefined;
          throw error;
        });
    }
    return this.cachedDimensions;
  }

  /** `$name` of every dashboard variable, offered in the editors' filter pickers. */
  getVariableReferences(): string[] {
    return this.templateSrv.getVariables().map((variable) => `$${variable.name}`);
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (this.exporterUrl === '') {
      return { status: 'error', message: 'Enter the exporter URL (for example http://exporter:9867) and save again.' };
    }
    try {
      const { body: summary } = await this.client.get('/api/v1/summary', {}, decodeSummary);
      const lastPoll =
        summary.last_successful_poll === null ? 'never' : new Date(summary.last_successful_poll).toISOString();
      if (summary.stale) {
        const sources = summary.stale_sources.length > 0 ? summary.stale_sources.join(', ') : 'its sources';
        return {
          status: 'warning',
          message:
            `Connected to the exporter at ${this.exporterUrl}, but its data is stale: ${sources} ` +
            `did not poll AWS successfully within two poll intervals (oldest last success: ${lastPoll}). ` +
            'Check the exporter log and its AWS permissions.',
        };
      }
      return {
        status: 'success',
        message:
          `Connected to the exporter at ${this.exporterUrl}: ${summary.open_findings_total} open findings, ` +
          `${summary.rules_total} rules, last successful poll ${lastPoll}.`,
      };
    } catch (error) {
      const failure = toExporterError(error, 'GET /api/v1/summary');
      const prefix: Record<ExporterError['kind'], string> = {
        unreachable: `Cannot reach the exporter at ${this.exporterUrl}.`,
        unauthorized: 'Authentication failed.',
        invalidParameter: 'The exporter rejected the test request.',
        notFound: `${this.exporterUrl} is not a Compliance Pulse exporter.`,
        exporterFailure: 'The exporter is reachable but failing.',
        unexpectedAnswer: `${this.exporterUrl} did not answer like a Compliance Pulse exporter.`,
      };
      return { status: 'error', message: `${prefix[failure.kind]} ${failure.message}` };
    }
  }
}
