/**
 * Builds the browser-test page (harness/page) with Vite. The page bundles its own copies of react, rxjs and
 * @grafana/{data,runtime,ui}; the plugin's dist/module.js is NOT bundled: the page loads it at run time as an AMD
 * module and hands it those copies, as Grafana does with its own.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * @grafana/ui's ESM files default-import CommonJS packages that set __esModule; Rolldown applies Node's interop to
 * .mjs importers and hands them the whole exports object, so React renders an object ("element type is invalid").
 * These virtual modules give such importers the package's real default export.
 */
const CJS_DEFAULT_IMPORTS = [
  'react-custom-scrollbars-2',
  'react-highlight-words',
  'react-inlinesvg',
  'react-loading-skeleton',
  'calculate-size',
  '@rc-component/picker',
  '@rc-component/picker/lib/generate/moment',
  '@rc-component/picker/lib/locale/en_US',
];
const PREFIX = '\0cjs-default:';

function cjsDefaultInterop() {
  return {
    name: 'cjs-default-interop',
    enforce: 'pre',
    resolveId(source, importer) {
      if (CJS_DEFAULT_IMPORTS.includes(source) && importer && !importer.startsWith(PREFIX) && /\.mjs$/.test(importer)) {
        return PREFIX + source;
      }
      return null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) {
        return null;
      }
      const source = id.slice(PREFIX.length);
      return [
        `import * as namespace from ${JSON.stringify(source)};`,
        `const value = namespace.default;`,
        `export default value && value.__esModule && 'default' in value ? value.default : value;`,
        `export * from ${JSON.stringify(source)};`,
      ].join('\n');
    },
  };
}

export default {
  root: join(here, 'page'),
  logLevel: 'warn',
  plugins: [cjsDefaultInterop()],
  define: { global: 'globalThis', 'process.env.NODE_ENV': JSON.stringify('production') },
  resolve: { dedupe: ['react', 'react-dom'] },
  build: {
    emptyOutDir: true,
    chunkSizeWarningLimit: 20000,
    sourcemap: false,
    rollupOptions: {
      // react-calendar & co. start with 'use client', which means nothing outside React Server Components.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') {
          warn(warning);
        }
      },
    },
  },
};
