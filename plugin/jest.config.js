// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // The editor tests drive @grafana/ui comboboxes with user-event; under parallel load one can exceed jest's 5 s.
  testTimeout: 20000,
  transform: {
    ...base.transform,
    // d3-color@3.1.1 (pulled in by @grafana/data) ships only .mjs, which the scaffold's transform does not cover.
    '^.+\\.mjs$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' } } }],
  },
};
