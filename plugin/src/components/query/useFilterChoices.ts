import type { DataSource } from '../../datasource';
import { SEVERITIES } from '../../types';
import { FilterChoices } from './FilterFields';
import { useDimensions } from './useDimensions';

/** Picker choices per filter: dashboard variables first, then the values the exporter knows. */
export function useFilterChoices(datasource: DataSource): { choices: FilterChoices; error?: string } {
  const { dimensions, error } = useDimensions(datasource);
  const variables = datasource.getVariableReferences();
  return {
    choices: {
      accountIds: [...variables, ...(dimensions?.accounts ?? [])],
      regions: [...variables, ...(dimensions?.regions ?? [])],
      severities: [...variables, ...(dimensions?.severities ?? SEVERITIES)],
      rules: [...variables, ...(dimensions?.rules ?? [])],
      documents: [...variables, ...(dimensions?.documents ?? [])],
    },
    error,
  };
}
