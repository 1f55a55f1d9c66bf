import { InlineField, Input } from '@grafana/ui';
import React, { useState } from 'react';

import { selectors } from '../../selectors';
import { MAX_ROWS } from '../../types';
import { LABEL_WIDTH } from './types';

interface Props {
  inputId: string;
  limit: number;
  error?: string;
  onChange: (limit: number) => void;
}

function parseLimit(text: string): number | undefined {
  const limit = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(limit) && limit >= 1 && limit <= MAX_ROWS ? limit : undefined;
}

/** Most rows to read. The text is checked while typing; only a valid number reaches the query (on blur). */
export function LimitField({ inputId, limit, error, onChange }: Props) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const typingError =
    draft !== undefined && parseLimit(draft) === undefined
      ? `Rows must be a whole number from 1 to ${MAX_ROWS}.`
      : undefined;
  const message = typingError ?? error;
  return (
    <InlineField
      label={selectors.query.limit}
      labelWidth={LABEL_WIDTH}
      tooltip={`Most rows to read, newest first (the exporter sends pages of up to 1000; at most ${MAX_ROWS}).`}
      invalid={message !== undefined}
      error={message}
    >
      <Input
        id={inputId}
        type="number"
        value={draft ?? String(limit)}
        width={12}
        onChange={(event) => setDraft(event.currentTarget.value)}
        onBlur={() => {
          const parsed = draft === undefined ? undefined : parseLimit(draft);
          if (parsed !== undefined && parsed !== limit) {
            onChange(parsed);
          }
          if (draft === undefined || parsed !== undefined) {
            setDraft(undefined);
          }
        }}
      />
    </InlineField>
  );
}
