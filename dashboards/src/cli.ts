import { checkAll, GENERATED_DIR, writeAll } from './render';

/**
 * `node cli.js generate` writes dashboards/generated/*.json; `node cli.js check` fails when the committed files differ
 * from what the code generates.
 */
function main(command: string | undefined): number {
  switch (command) {
    case 'generate':
      for (const file of writeAll()) {
        console.log(`wrote ${GENERATED_DIR}/${file}`);
      }
      return 0;
    case 'check': {
      const problems = checkAll();
      if (problems.length > 0) {
        console.error(problems.join('\n'));
        console.error(
          'The generated dashboards are out of date: run `npm run generate -w dashboards` and commit the result.',
        );
        return 1;
      }
      console.log(`${GENERATED_DIR}: every dashboard is up to date`);
      return 0;
    }
    default:
      console.error('usage: cli.js generate|check');
      return 2;
  }
}

process.exitCode = main(process.argv[2]);
