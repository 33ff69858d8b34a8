// Jupyter widgets for cells: installs the widget host and returns the `widgets` namespace (the core controls of
// @jupyter-widgets/controls 2.0.0 over widget protocol 2.1) and the `progress` helper. See docs/widgets.md.
import type { CommManager } from "../comms.js";
import type { OutputSink } from "../output.js";
import { AnyWidget } from "./anywidget.js";
import { Button, Checkbox, Dropdown, FloatProgress, FloatSlider, HBox, HTML, IntProgress, IntSlider, Text, VBox } from "./controls.js";
import { setWidgetHost, WidgetHost, type WidgetHostOptions } from "./host.js";
import { Layout } from "./layout-style.js";
import { Output, setOutputWidgetSink } from "./output-widget.js";
import { makeProgress } from "./progress.js";
import { Widget } from "./widget.js";

export function installWidgets(deps: { comms: CommManager; output: OutputSink } & WidgetHostOptions) {
  const host = new WidgetHost(deps.comms, deps.output, deps);
  setWidgetHost(host);
  setOutputWidgetSink(deps.output);
  const widgets = {
    Widget,
    Layout,
    IntSlider,
    FloatSlider,
    IntProgress,
    FloatProgress,
    Button,
    Checkbox,
    Text,
    HTML,
    Dropdown,
    Output,
    HBox,
    VBox,
    AnyWidget,
    /** The live widgets of the session. */
    all: (): Widget[] => [...host.widgets.values()].filter((w): w is Widget => w instanceof Widget),
    /** Whether state changed by a frontend is echoed to all frontends (`echo_update`, protocol 2.1). */
    get echo(): boolean {
      return host.echo;
    },
    set echo(on: boolean) {
      host.echo = on === true;
    },
  };
  return { widgets, progress: makeProgress(deps.output), host };
}
