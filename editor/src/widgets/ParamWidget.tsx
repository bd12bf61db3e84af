import type { ParamSpec } from '../catalog/catalog-types.ts';
import { BoolWidget } from './BoolWidget.tsx';
import { FileWidget } from './FileWidget.tsx';
import { JsonWidget } from './JsonWidget.tsx';
import { ModelWidget } from './ModelWidget.tsx';
import { NumberWidget } from './NumberWidget.tsx';
import { SeedWidget } from './SeedWidget.tsx';
import { SelectWidget } from './SelectWidget.tsx';
import { TextWidget } from './TextWidget.tsx';
import { CUSTOM_WIDGETS } from './widget-registry.ts';
import type { WidgetProps } from './widget-props.ts';

/** The widget for a param, chosen by its kind (and for json params, by its `widget` name). */
export function ParamWidget(props: WidgetProps) {
  const spec: ParamSpec = props.spec;
  switch (spec.kind) {
    case 'text':
      return <TextWidget {...props} spec={spec} />;
    case 'int':
    case 'number':
      return <NumberWidget {...props} spec={spec} />;
    case 'seed':
      return <SeedWidget {...props} spec={spec} />;
    case 'select':
      return <SelectWidget {...props} spec={spec} />;
    case 'bool':
      return <BoolWidget {...props} spec={spec} />;
    case 'file':
      return <FileWidget {...props} spec={spec} />;
    case 'model':
      return <ModelWidget {...props} spec={spec} />;
    case 'json': {
      const Custom = CUSTOM_WIDGETS[spec.widget]?.component ?? JsonWidget;
      return <Custom {...props} spec={spec} />;
    }
  }
}
