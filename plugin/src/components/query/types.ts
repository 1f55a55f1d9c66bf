import { KpiQuery } from '../../types';
import { QueryIssue } from '../../validation';
import { FilterChoices } from './FilterFields';

/** Label column width of every query editor field, in grid units (8px): fits "SSM documents". */
export const LABEL_WIDTH = 16;

/** What every query type's options editor receives from the query editor. */
export interface OptionsEditorProps<Q extends KpiQuery> {
  query: Q;
  issues: QueryIssue[];
  choices: FilterChoices;
  /** The data source's default time zone, shown as the time zone placeholder. */
  defaultTimeZone: string;
  /** Makes input ids unique when several queries are open (the query's refId). */
  idPrefix: string;
  onChange: (query: Q) => void;
}
