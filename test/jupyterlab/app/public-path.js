// Runs before the application module: chunks, fonts and images load from the extension's static URL, which the
// server puts in the page config.
import { PageConfig } from "@jupyterlab/coreutils";

// webpack replaces this free variable; it is not a global.
__webpack_public_path__ = `${PageConfig.getOption("fullStaticUrl")}/`;
