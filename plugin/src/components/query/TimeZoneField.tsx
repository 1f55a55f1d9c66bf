import { InlineField, Input } from '@grafana/ui';
import React, { useState } from 'react';

import { selectors } from '../../selectors';
import { LABEL_WIDTH } from './types';

interface Props {
  inputId: string;
  timeZone: string;
  defaultTimeZone: string;
  error?: string;
  onChange: (timeZone: string) => void;
}

/** IANA time zone the exporter cuts days in; empty falls back to the data source default. Commits on blur. */
export function TimeZoneField({ inputId, timeZone, defaultTimeZone, error, onChange }: Props) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  return (
    <InlineField
      label={selectors.query.timeZone}
      labelWidth={LABEL_WIDTH}
      tooltip="IANA time zone (e.g. Asia/Seoul) in which days start; a template variable works too."
      invalid={error !== undefined}
      error={error}
    >
      <Input
        id={inputId}
        value={draft ?? timeZone}
        placeholder={defaultTimeZone}
        width={24}
        onChange={(event) => setDraft(event.currentTarget.value)}
        onBlur={() => {
          if (draft !== undefined && draft.trim() !== timeZone) {
            onChange(draft.trim());
          }
          setDraft(undefined);
        }}
      />
    </InlineField>
  );
}
