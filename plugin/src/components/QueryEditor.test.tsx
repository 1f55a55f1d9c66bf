import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent, { UserEvent } from '@testing-library/user-event';
import React from 'react';

import { createDataSource } from '../__mocks__/datasource';
import { defaultQuery } from '../migrations';
import { selectors } from '../selectors';
import { KpiQuery } from '../types';
import { QueryEditor } from './QueryEditor';

jest.mock('@tanstack/react-virtual', () => ({
  ...jest.requireActual('@tanstack/react-virtual'),
  useVirtualizer: jest.requireActual('../__mocks__/virtualizer').renderEveryRow,
}));

function renderEditor(query: KpiQuery, variables: Record<string, string | string[]> = {}) {
  const { datasource } = createDataSource({ variables });
  const onChange = jest.fn<void, [KpiQuery]>();
  const onRunQuery = jest.fn();
  render(<QueryEditor query={query} datasource={datasource} onChange={onChange} onRunQuery={onRunQuery} />);
  return { onChange, onRunQuery };
}

/** The last query the editor handed to Grafana. */
function lastQuery(onChange: jest.Mock<void, [KpiQuery]>): KpiQuery | undefined {
  return onChange.mock.calls.at(-1)?.[0];
}

describe('QueryEditor', () => {
  let user: UserEvent;

  beforeEach(() => {
    user = userEvent.setup({ delay: null });
  });

  it('switches the query type, keeps shared filters and runs the query', async () => {
    const { onChange, onRunQuery } = renderEditor({ ...defaultQuery('findings'), regions: ['eu-west-1'] });
    await user.click(screen.getByRole('radio', { name: 'Remediations' }));
    expect(lastQuery(onChange)).toEqual({ ...defaultQuery('remediations'), regions: ['eu-west-1'] });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('edits a stored query from before schema versions as the current model', async () => {
    const { onChange } = renderEditor({ refId: 'A', queryText: 'old' } as unknown as KpiQuery);
    expect(screen.getByRole('radio', { name: 'Daily indicators' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: 'Rules' }));
    expect(lastQuery(onChange)).toEqual(defaultQuery('rules'));
  });

  it('offers the exporter values and dashboard variables in filters', async () => {
    renderEditor(defaultQuery('rules'), { region: 'eu-west-1' });
    await user.click(screen.getByLabelText(selectors.query.regions));
    expect(await screen.findByRole('option', { name: '$region' })).toBeInTheDocument();
    expect(await screen.findByRole('option', { name: 'us-east-1' })).toBeInTheDocument();
  });

  it('adds a picked value to a filter', async () => {
    const { onChange, onRunQuery } = renderEditor(defaultQuery('rules'));
    await user.click(screen.getByLabelText(selectors.query.accountIds));
    await user.click(await screen.findByRole('option', { name: '210987654321' }));
    expect(lastQuery(onChange)).toMatchObject({ queryType: 'rules', accountIds: ['210987654321'] });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('accepts a typed value the exporter does not list yet', async () => {
    const { onChange } = renderEditor(defaultQuery('findings'));
    const rules = screen.getByLabelText(selectors.query.rules);
    await user.click(rules);
    await user.type(rules, 'my-custom-rule');
    await user.keyboard('{arrowdown}{enter}');
    expect(lastQuery(onChange)).toMatchObject({ rules: ['my-custom-rule'] });
  });

  it('shows each validation message next to its field', () => {
    renderEditor({
      ...defaultQuery('daily'),
      queryType: 'daily',
      indicators: [],
      accountIds: ['42'],
      severities: ['SEVERE'],
    });
    expect(screen.getByText('Choose at least one indicator to draw.')).toBeInTheDocument();
    expect(screen.getByText('"42" is not an AWS account ID: account IDs are 12 digits.')).toBeInTheDocument();
    expect(screen.getByText(/"SEVERE" is not a severity/)).toBeInTheDocument();
  });

  it('chooses daily indicators', async () => {
    const { onChange } = renderEditor(defaultQuery('daily'));
    await user.click(screen.getByLabelText(selectors.query.indicators));
    await user.click(await screen.findByRole('option', { name: 'Time to remediate p95' }));
    expect(lastQuery(onChange)).toMatchObject({
      indicators: ['findingsOpened', 'findingsResolved', 'timeToRemediateP95'],
    });
  });

  it('commits the time zone on blur and explains a wrong one', async () => {
    const { onChange } = renderEditor(defaultQuery('remediations'));
    const timeZone = screen.getByLabelText(selectors.query.timeZone);
    await user.type(timeZone, 'Asia/Seoul');
    expect(onChange).not.toHaveBeenCalled();
    await user.tab();
    expect(lastQuery(onChange)).toMatchObject({ timeZone: 'Asia/Seoul' });
  });

  it('checks the row limit while typing and only stores a valid number', async () => {
    const { onChange } = renderEditor(defaultQuery('findings'));
    const limit = screen.getByLabelText(selectors.query.limit);
    await user.clear(limit);
    await user.type(limit, '90000');
    expect(screen.getByText('Rows must be a whole number from 1 to 5000.')).toBeInTheDocument();
    await user.tab();
    expect(onChange).not.toHaveBeenCalled();
    await user.clear(limit);
    await user.type(limit, '250');
    await user.tab();
    expect(lastQuery(onChange)).toMatchObject({ limit: 250 });
    expect(screen.queryByText('Rows must be a whole number from 1 to 5000.')).not.toBeInTheDocument();
  });

  it('sets the findings state and the remediation outcome', async () => {
    const findings = renderEditor(defaultQuery('findings'));
    await user.click(screen.getByRole('radio', { name: 'Resolved' }));
    expect(lastQuery(findings.onChange)).toMatchObject({ state: 'resolved' });
  });

  it('shows only the filters each query type supports', () => {
    renderEditor(defaultQuery('remediations'));
    const editor = screen.getByTestId(selectors.query.editor);
    expect(within(editor).getByLabelText(selectors.query.documents)).toBeInTheDocument();
    expect(within(editor).queryByLabelText(selectors.query.severities)).not.toBeInTheDocument();
  });

  it('explains that the summary takes no filters', () => {
    renderEditor(defaultQuery('summary'));
    expect(screen.getByTestId(selectors.query.summaryNote)).toHaveTextContent('takes no filters');
    expect(screen.queryByLabelText(selectors.query.regions)).not.toBeInTheDocument();
  });

  it('says when the picker values could not be loaded', async () => {
    const { datasource } = createDataSource({ answer: () => ({ status: 502, statusText: 'Bad Gateway' }) });
    render(
      <QueryEditor query={defaultQuery('rules')} datasource={datasource} onChange={jest.fn()} onRunQuery={jest.fn()} />
    );
    await waitFor(() => expect(screen.getByText(/Filter values could not be loaded/)).toBeInTheDocument());
  });
});
