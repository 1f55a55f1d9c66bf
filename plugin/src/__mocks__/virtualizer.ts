/**
 * jsdom has no layout, so the virtualised menus of @grafana/ui's Combobox and MultiCombobox would render no option at
 * all. Tests of the editors replace `useVirtualizer` with this one, which renders every row:
 *
 *   jest.mock('@tanstack/react-virtual', () => ({
 *     ...jest.requireActual('@tanstack/react-virtual'),
 *     useVirtualizer: jest.requireActual('../__mocks__/virtualizer').renderEveryRow,
 *   }));
 */
export function renderEveryRow({ count, estimateSize }: { count: number; estimateSize: (index: number) => number }) {
  const rows = Array.from({ length: count }, (_, index) => ({ index, key: index, size: estimateSize(index), lane: 0 }));
  const starts = rows.map((_, index) => rows.slice(0, index).reduce((sum, row) => sum + row.size, 0));
  return {
    getTotalSize: () => rows.reduce((sum, row) => sum + row.size, 0),
    getVirtualItems: () =>
      rows.map((row, index) => ({ ...row, start: starts[index] ?? 0, end: (starts[index] ?? 0) + row.size })),
    scrollToIndex: () => undefined,
    measureElement: () => undefined,
  };
}
