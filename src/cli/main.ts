// Command-line entry: dispatches the subcommands. Each subcommand lives in its own module.
import { enableCompileCache } from "../host/compile-cache.js";
import { log, parseLevel, setLogLevel } from "../wire/log.js";

const USAGE = `usage: tsloop <command> [options]

commands:
  kernel -f CONNECTION_FILE   run the kernel (what Jupyter starts)
  install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name NAME]
                              install the kernelspec (no Python needed)
  uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
  run NOTEBOOK.ipynb [-o OUT.ipynb] [--inplace] [--timeout S] [--grace S] [--allow-errors]
                  [--no-color] [--quiet] [--timelines]
                              execute a notebook headless and print its outputs
                              (see \`tsloop run --help\`)
  grade TEACHER.ipynb SUBMISSION.ipynb... [--time-limit S] [--cell-timeout S] [-j N]
                  [--json FILE] [--junit FILE]
                              grade students' notebooks against the teacher's checks
                              (see \`tsloop grade --help\`)

options:
  --log-level LEVEL           error | warn | info | debug (or TSLOOP_LOG)
`;

export function main(argv: string[]): void {
  enableCompileCache();
  const args = [...argv];
  const levelAt = args.indexOf("--log-level");
  if (levelAt >= 0) {
    const level = parseLevel(args[levelAt + 1]);
    if (!level) fail(`--log-level expects error, warn, info or debug, got ${JSON.stringify(args[levelAt + 1])}`);
    setLogLevel(level);
    args.splice(levelAt, 2);
  }
  const [command, ...rest] = args;
  const run = async (): Promise<number> => {
    switch (command) {
      case "kernel":
        return (await import("./kernel-command.js")).kernelCommand(rest);
      case "install":
        return (await import("./install.js")).installCommand(rest);
      case "uninstall":
        return (await import("./install.js")).uninstallCommand(rest);
      case "run":
        return (await import("./run-command.js")).runCommand(rest);
      case "grade":
        return (await import("./grade-command.js")).gradeCommand(rest);
      case undefined:
      case "-h":
      case "--help":
      case "help":
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`tsloop: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
        return 2;
    }
  };
  run().then(
    (code) => {
      if (code !== 0 || command !== "kernel") process.exitCode = code;
    },
    (err: unknown) => {
      log.error(err);
      process.stderr.write(`tsloop: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}

function fail(message: string): never {
  process.stderr.write(`tsloop: ${message}\n`);
  process.exit(2);
}
