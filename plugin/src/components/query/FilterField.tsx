import { ComboboxOption, InlineField, MultiCombobox } from '@grafana/ui';
import React from 'react';
import { LABEL_WIDTH } from './types';

interface Props {
  label: string;
  inputId: string;
  values: string[];
  /** Known values (from the exporter) and `$variable` references. */
  choices: string[];
  error?: string;
  onChange: (values: string[]) => void;
}

/** A multi-value filter: pick known values or variables, or type any value; empty means "no filter". */
export function FilterField({ label, inputId, values, choices, error, onChange }: Props) {
  const options: Array<ComboboxOption<string>> = [...new Set([...choices, ...values])].map((value) => ({ value }));
  return (
    <InlineField label={label} labelWidth={LABEL_WIDTH} invalid={error !== undefined} error={error}>
      <MultiCombobox<string>
        id={inputId}
        options={options}
        value={values}
        createCustomValue
        placeholder="Any"
        width={48}
        onChange={(selected) => onChange(selected.map((option) => option.value))}
      />
    </InlineField>
  );
}
