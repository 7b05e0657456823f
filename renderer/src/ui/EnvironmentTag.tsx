import type { Environment } from '../../../preload/contract';

const LABELS: Record<Environment, string> = {
  production: 'Production',
  staging: 'Staging',
  development: 'Development',
  custom: 'Custom',
};

export function EnvironmentTag({ environment }: { environment: Environment }) {
  return <span className={`env-tag env-${environment}`}>{LABELS[environment]}</span>;
}

export function ColorSwatch({ color, label }: { color: string; label: string }) {
  return (
    <span
      className="swatch"
      role="img"
      aria-label={`Colour ${color} of ${label}`}
      data-color={color}
      style={{ backgroundColor: color }}
    />
  );
}
