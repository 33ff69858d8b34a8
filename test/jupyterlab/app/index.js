// The test JupyterLab: every extension module that build.mjs found among the dependencies, minus the plugins
// whose required services are not in this build, started once the page has loaded. With the page config option
// `exposeAppInBrowser` (set by the server) the application is `window.jupyterapp`, and `window.jupyterappReady`
// resolves when the layout is restored.
import { JupyterLab } from "@jupyterlab/application";
import { PageConfig } from "@jupyterlab/coreutils";
import { extensions, mimeExtensions } from "tsloop-lab-generated/extensions.js";
import "tsloop-lab-generated/style.js";

/**
 * Plugins left out: they require services of packages this build does not include (LSP, table of contents,
 * document search, metadata forms, the file editor); JupyterLab would log a failed activation for each.
 */
const EXCLUDED = [
  /:language-server$/,
  /^@jupyterlab\/notebook-extension:(toc|search|update-raw-mimetype)$/,
  /^@jupyterlab\/(tooltip|debugger)-extension:files$/,
];

/** A module's plugins: its default export (one plugin or an array), for ES and CommonJS modules. */
function pluginsOf(module) {
  const exported = module.default ?? module;
  return Array.isArray(exported) ? exported : [exported];
}

async function main() {
  const lab = new JupyterLab({ mimeExtensions: mimeExtensions.map((e) => e.module) });
  const plugins = extensions.flatMap((e) => pluginsOf(e.module)).filter((p) => !EXCLUDED.some((re) => re.test(p.id)));
  lab.registerPlugins(plugins);
  if (String(PageConfig.getOption("exposeAppInBrowser")).toLowerCase() === "true") {
    window.jupyterapp = lab;
    window.jupyterappReady = lab.restored;
  }
  await lab.start();
  await lab.restored;
  console.info(`tsloop test JupyterLab: ${plugins.length} plugins, restored`);
}

window.addEventListener("load", () => {
  main().catch((err) => console.error("tsloop test JupyterLab failed to start", err));
});
