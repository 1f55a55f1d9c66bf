import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * Dashboard uids and the URLs that link them. Every link carries the variables (`${__all_variables}`), so a click
 * from the wall screen lands on the same accounts and regions, and (unless told not to) the time range.
 */

export const WALL_SCREEN_UID = 'cp-wall-screen';
export const DAILY_UID = 'cp-daily';
export const RULES_UID = 'cp-rules';

export function dashboardUrl(
  uid: string,
  options: { set?: Record<string, string>; keepTime?: boolean } = {},
): string {
  const parts = ['${__all_variables}'];
  if (options.keepTime ?? true) {
    parts.push('${__url_time_range}');
  }
  for (const [name, value] of Object.entries(options.set ?? {})) {
    parts.push(`var-${name}=${value}`);
  }
  return `/d/${uid}?${parts.join('&')}`;
}

/** A link in the dashboard's header; Grafana appends the variables, and the time range when `keepTime`. */
export function headerLink(title: string, uid: string, keepTime: boolean): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(title)
    .type(dashboard.DashboardLinkType.Link)
    .url(`/d/${uid}`)
    .icon('dashboard')
    .includeVars(true)
    .keepTime(keepTime);
}
