import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { createDataSource } from '../__mocks__/datasource';
import { remediationAnnotations } from '../annotations';
import { defaultQuery } from '../migrations';
import { selectors } from '../selectors';
import { KpiQuery } from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';

describe('annotations', () => {
  it('start from succeeded and failed remediation executions', () => {
    expect(remediationAnnotations.getDefaultQuery?.()).toEqual(defaultQuery('remediationEvents', 'Anno'));
  });

  it('always run as a remediationEvents query', () => {
    const query = remediationAnnotations.prepareQuery?.({
      name: 'Remediations',
      enable: true,
      iconColor: 'red',
      target: { ...defaultQuery('findings'), regions: ['eu-west-1'] },
    });
    expect(query).toMatchObject({ queryType: 'remediationEvents', outcome: 'finished', regions: ['eu-west-1'] });
  });

  it('edit the outcome and filters', async () => {
    const user = userEvent.setup({ delay: null });
    const onChange = jest.fn<void, [KpiQuery]>();
    const { datasource } = createDataSource();
    render(
      <AnnotationQueryEditor
        query={defaultQuery('remediationEvents', 'Anno')}
        datasource={datasource}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByLabelText(selectors.query.documents)).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Failed' }));
    expect(onChange).toHaveBeenCalledWith({ ...defaultQuery('remediationEvents', 'Anno'), outcome: 'failed' });
  });
});
