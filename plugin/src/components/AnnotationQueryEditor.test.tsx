import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { createDataSource } from '../__mocks__/datasource';
import { kpiAnnotations } from '../annotations';
import { defaultQuery } from '../migrations';
import { selectors } from '../selectors';
import { KpiQuery } from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';

describe('annotations', () => {
  it('start from succeeded and failed remediation executions', () => {
    expect(kpiAnnotations.getDefaultQuery?.()).toEqual(defaultQuery('remediationEvents', 'Anno'));
  });

  it('run as remediationEvents unless they ask for another annotation kind', () => {
    const query = kpiAnnotations.prepareQuery?.({
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

  it('switch to "monitoring began" with the account and region filters only', async () => {
    const user = userEvent.setup({ delay: null });
    const onChange = jest.fn<void, [KpiQuery]>();
    const onRunQuery = jest.fn();
    const { datasource } = createDataSource();
    const { rerender } = render(
      <AnnotationQueryEditor
        query={{ ...defaultQuery('remediationEvents', 'Anno'), regions: ['eu-west-1'] }}
        datasource={datasource}
        onChange={onChange}
        onRunQuery={onRunQuery}
      />
    );
    await user.click(screen.getByRole('radio', { name: 'Monitoring began' }));
    const switched = { ...defaultQuery('monitoringBegan', 'Anno'), regions: ['eu-west-1'] };
    expect(onChange).toHaveBeenLastCalledWith(switched);
    expect(onRunQuery).toHaveBeenCalled();
    rerender(
      <AnnotationQueryEditor query={switched} datasource={datasource} onChange={onChange} onRunQuery={onRunQuery} />
    );
    expect(screen.getByTestId(selectors.query.monitoringNote)).toBeInTheDocument();
    expect(screen.getByLabelText(selectors.query.regions)).toBeInTheDocument();
    expect(screen.queryByLabelText(selectors.query.documents)).not.toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Monitoring began' })).toBeChecked();
  });
});
