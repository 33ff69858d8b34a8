// The webpack configurations of the test JupyterLab: the application bundle (app/ + every extension listed by
// build.mjs) and one CSS-only build per theme. Development mode without source maps: minifying 19 MB would cost
// a minute per build and the tests gain nothing from it.
import { createRequire } from "node:module";
import { join } from "node:path";
import MiniCssExtractPlugin from "mini-css-extract-plugin";
import miniSVGDataURI from "mini-svg-data-uri";
import webpack from "webpack";

const require = createRequire(import.meta.url);

/** CSS files may reference fonts, images and SVG icons; SVGs become data URIs there. */
const cssAssetRules = [
  {
    test: /\.svg(\?v=\d+\.\d+\.\d+)?$/,
    issuer: /\.css$/,
    type: "asset/inline",
    generator: { dataUrl: (content) => miniSVGDataURI(content.toString()) },
  },
  { test: /\.(woff2?|ttf|eot)(\?v=\d+\.\d+\.\d+)?$/, type: "asset" },
  { test: /\.(png|jpe?g|gif|cur)$/, type: "asset/resource" },
];

/**
 * @param {{ appDir: string, out: string, generated: string, themes: { name: string, css: string }[] }} options
 *   appDir: test/jupyterlab; out: the build dir; generated: dir of the generated modules (extensions, styles).
 */
export function configurations({ appDir, out, generated, themes }) {
  const app = {
    name: "app",
    mode: "development",
    devtool: false,
    bail: true,
    context: appDir,
    entry: [join(appDir, "app", "public-path.js"), join(appDir, "app", "index.js")],
    output: { path: join(out, "static"), filename: "bundle.js", chunkFilename: "[name].[contenthash:8].js", clean: true },
    resolve: { alias: { "tsloop-lab-generated": generated } },
    performance: { hints: false },
    infrastructureLogging: { level: "warn" },
    module: {
      rules: [
        // Some packages (@jupyter/web-components) import their ESM files without extensions.
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
        { test: /\.raw\.css$/, type: "asset/source" },
        { test: /\.css$/, exclude: /\.raw\.css$/, use: [require.resolve("style-loader"), require.resolve("css-loader")] },
        ...cssAssetRules,
        // Icons imported from JavaScript are SVG source strings.
        { test: /\.svg(\?v=\d+\.\d+\.\d+)?$/, issuer: /\.[cm]?js$/, type: "asset/source" },
        { test: /\.md$/, type: "asset/source" },
        { test: /\.html$/, type: "asset/resource" },
      ],
    },
    plugins: [
      // Without it every text/html output shows "process is not defined" (a dependency of the sanitizer).
      new webpack.ProvidePlugin({ process: "process/browser" }),
    ],
  };
  const themeBuilds = themes.map((theme) => ({
    name: `theme ${theme.name}`,
    mode: "production",
    devtool: false,
    bail: true,
    entry: { index: theme.css },
    // Served by jupyterlab_server's ThemesHandler from <themes_dir>/<package>/index.css; the JS is unused.
    output: { path: join(out, "themes", theme.name), filename: "[name].js", clean: true },
    performance: { hints: false },
    module: { rules: [{ test: /\.css$/, use: [MiniCssExtractPlugin.loader, require.resolve("css-loader")] }, ...cssAssetRules] },
    plugins: [new MiniCssExtractPlugin({ filename: "[name].css" })],
  }));
  return [app, ...themeBuilds];
}
