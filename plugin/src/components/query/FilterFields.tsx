import React from 'react';

import { selectors } from '../../selectors';
import { FilterName } from '../../types';
import { issueFor, QueryIssue } from '../../validation';
import { FilterField } from './FilterField';

export type FilterChoices = Record<FilterName, string[]>;

interface Props<N extends FilterName, Q extends Record<N, string[]>> {
  names: readonly N[];
  query: Q;
  choices: FilterChoices;
  issues: QueryIssue[];
  idPrefix: string;
  onChange: (query: Q) => void;
}

/** The filters a query type supports, each a multi-value picker. */
export function FilterFields<N extends FilterName, Q extends Record<N, string[]>>({
  names,
  query,
  choices,
  issues,
  idPrefix,
  onChange,
}: Props<N, Q>) {
  return (
    <>
      {names.map((name) => (
        <FilterField
          key={name}
          label={selectors.query[name]}
          inputId={`${idPrefix}-${name}`}
          values={query[name]}
          choices={choices[name]}
          error={issueFor(issues, name)}
          onChange={(values) => onChange({ ...query, [name]: values })}
        />
      ))}
    </>
  );
}
