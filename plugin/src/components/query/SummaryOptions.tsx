import { Text } from '@grafana/ui';
import React from 'react';

import { selectors } from '../../selectors';

/** The summary endpoint takes no parameters: it always covers every account and region. */
export function SummaryOptions() {
  return (
    <div data-testid={selectors.query.summaryNote}>
      <Text color="secondary" element="p">
        Current open findings per severity, compliance scores, rules and remediations in progress, across every account
        and region the exporter polls. The summary takes no filters; choose what a stat panel shows with its Fields
        option.
      </Text>
    </div>
  );
}
