import { parser } from '@prometheus-io/lezer-promql';

/** One vector selector of a PromQL expression: the metric and its label matchers. */
export interface PromqlSelector {
  readonly metric: string;
  readonly matchers: readonly { readonly label: string; readonly op: string; readonly value: string }[];
}

/** What a PromQL expression refers to, as Prometheus' own grammar (`@prometheus-io/lezer-promql`) parses it. */
export interface PromqlReferences {
  readonly selectors: readonly PromqlSelector[];
  /** Labels of `by (…)`, `without (…)`, `on (…)`, `ignoring (…)`, `group_left (…)`, `group_right (…)`. */
  readonly groupingLabels: readonly string[];
  /** Syntax errors: the text of each error node (empty when the expression parses). */
  readonly errors: readonly string[];
}

/**
 * Parses `expression` and lists its selectors and grouping labels. A selector without a metric name
 * (`{__name__=~"…"}`) is reported with `metric` `''`.
 */
export function promqlReferences(expression: string): PromqlReferences {
  const tree = parser.parse(expression);
  const text = (from: number, to: number): string => expression.slice(from, to);
  const selectors: PromqlSelector[] = [];
  const groupingLabels: string[] = [];
  const errors: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`'${text(node.from, node.to)}' at ${node.from}`);
      if (node.name === 'GroupingLabels') {
        for (let child = node.node.firstChild; child; child = child.nextSibling) if (child.name === 'LabelName') groupingLabels.push(text(child.from, child.to));
        return false;
      }
      if (node.name !== 'VectorSelector') return undefined;
      let metric = '';
      const matchers: PromqlSelector['matchers'][number][] = [];
      for (let child = node.node.firstChild; child; child = child.nextSibling) {
        if (child.name === 'Identifier') metric = text(child.from, child.to);
        if (child.name !== 'LabelMatchers') continue;
        for (let matcher = child.firstChild; matcher; matcher = matcher.nextSibling) {
          const label = matcher.getChild('LabelName') ?? matcher.getChild('QuotedLabelName');
          const op = matcher.getChild('MatchOp');
          const value = matcher.getChild('StringLiteral');
          if (!label || !op || !value) continue;
          matchers.push({ label: text(label.from, label.to).replace(/^"|"$/g, ''), op: text(op.from, op.to), value: JSON.parse(text(value.from, value.to).replace(/^'|'$/g, '"')) as string });
        }
      }
      selectors.push({ metric, matchers });
      return false;
    },
  });
  return { selectors, groupingLabels, errors };
}

/**
 * Replaces Grafana's template variables with values PromQL accepts: `$__rate_interval` and the other
 * built-in intervals with `5m`, a dashboard variable (`$instance`, `${provider}`) with `.*` (they only
 * appear inside `=~` matchers).
 */
export function substituteGrafanaVariables(expression: string): string {
  return expression.replace(/\$__(rate_interval|interval|range)\b/g, '5m').replace(/\$\{?[A-Za-z_]\w*\}?/g, '.*');
}
