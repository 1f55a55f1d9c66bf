import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { createDataSource } from '../__mocks__/datasource';
import { selectors } from '../selectors';
import { KpiVariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

jest.mock('@tanstack/react-virtual', () => ({
  ...jest.requireActual('@tanstack/react-virtual'),
  useVirtualizer: jest.requireActual('../__mocks__/virtualizer').renderEveryRow,
}));

describe('VariableQueryEditor', () => {
  it('lists the five dimensions and stores the chosen one', async () => {
    const user = userEvent.setup({ delay: null });
    const onChange = jest.fn<void, [KpiVariableQuery]>();
    const { datasource } = createDataSource();
    render(
      <VariableQueryEditor
        query={{ refId: 'variable', schemaVersion: 1, dimension: 'accounts' }}
        datasource={datasource}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    await user.click(screen.getByLabelText(selectors.variable.dimension));
    const names = (await screen.findAllByRole('option')).map((option) => option.textContent);
    expect(names).toEqual([
      expect.stringContaining('Accounts'),
      expect.stringContaining('Regions'),
      expect.stringContaining('Severities'),
      expect.stringContaining('Rules'),
      expect.stringContaining('Documents'),
    ]);
    await user.click(screen.getByRole('option', { name: /Regions/ }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'variable', schemaVersion: 1, dimension: 'regions' });
  });

  it('shows a variable query stored as a bare dimension name', () => {
    const { datasource } = createDataSource();
    const stored = 'documents' as unknown as KpiVariableQuery;
    render(<VariableQueryEditor query={stored} datasource={datasource} onChange={jest.fn()} onRunQuery={jest.fn()} />);
    expect(screen.getByLabelText(selectors.variable.dimension)).toHaveValue('Documents');
  });
});
