/**
 * The syntax tree the parser builds and the evaluator walks. Every node records where it starts
 * (for operators: where the operator is), so runtime errors can point at the failing spot.
 */
import type { JavaDouble } from './java-values.js';

interface Positioned {
  readonly line: number;
  readonly column: number;
}

/** A type as written: `def`, `int`, `String`, `Map.Entry`, `String[]`. */
export type TypeName = string;

/** Operators of `Binary` nodes (`&&`/`||` are `Logical`: they short-circuit). */
export type BinaryOperator =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '=='
  | '!='
  | '==='
  | '!=='
  | '<'
  | '<='
  | '>'
  | '>='
  | '&'
  | '|'
  | '^'
  | '<<'
  | '>>'
  | '>>>';

/** `=` and the compound assignments. */
export type AssignOperator =
  '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=' | '>>>=';

/** Any expression node. */
export type Expression =
  | ({
      readonly kind: 'Literal';
      readonly value: string | number | boolean | null | JavaDouble;
    } & Positioned)
  | IdentifierExpression
  | ({ readonly kind: 'ListLiteral'; readonly elements: readonly Expression[] } & Positioned)
  | ({
      readonly kind: 'MapLiteral';
      readonly entries: readonly { key: Expression; value: Expression }[];
    } & Positioned)
  | MemberExpression
  | IndexExpression
  | CallExpression
  | ({
      readonly kind: 'MethodCall';
      readonly object: Expression;
      readonly name: string;
      readonly args: readonly Expression[];
      readonly nullSafe: boolean;
    } & Positioned)
  | ({
      readonly kind: 'StaticCall';
      readonly className: string;
      readonly name: string;
      readonly args: readonly Expression[];
    } & Positioned)
  | ({
      readonly kind: 'StaticField';
      readonly className: string;
      readonly name: string;
    } & Positioned)
  | ({
      readonly kind: 'New';
      readonly className: string;
      readonly args: readonly Expression[];
    } & Positioned)
  | ({
      readonly kind: 'Unary';
      readonly operator: '!' | '-' | '+' | '~';
      readonly operand: Expression;
    } & Positioned)
  | ({
      readonly kind: 'Update';
      readonly operator: '++' | '--';
      readonly prefix: boolean;
      readonly target: AssignTarget;
    } & Positioned)
  | ({
      readonly kind: 'Binary';
      readonly operator: BinaryOperator;
      readonly left: Expression;
      readonly right: Expression;
    } & Positioned)
  | ({
      readonly kind: 'Logical';
      readonly operator: '&&' | '||';
      readonly left: Expression;
      readonly right: Expression;
    } & Positioned)
  | ({
      readonly kind: 'Conditional';
      readonly test: Expression;
      readonly consequent: Expression;
      readonly alternate: Expression;
    } & Positioned)
  | ({ readonly kind: 'Elvis'; readonly left: Expression; readonly right: Expression } & Positioned)
  | ({
      readonly kind: 'Assign';
      readonly operator: AssignOperator;
      readonly target: AssignTarget;
      readonly value: Expression;
    } & Positioned)
  | ({ readonly kind: 'Cast'; readonly type: TypeName; readonly operand: Expression } & Positioned)
  | ({
      readonly kind: 'InstanceOf';
      readonly operand: Expression;
      readonly type: TypeName;
    } & Positioned);

/** A call of a script-declared function or an injected builtin: `escape(text)`. */
export type CallExpression = {
  readonly kind: 'Call';
  readonly name: string;
  readonly args: readonly Expression[];
} & Positioned;

/** A variable reference. */
export type IdentifierExpression = {
  readonly kind: 'Identifier';
  readonly name: string;
} & Positioned;
/** `object.name` or `object?.name`. */
export type MemberExpression = {
  readonly kind: 'Member';
  readonly object: Expression;
  readonly name: string;
  readonly nullSafe: boolean;
} & Positioned;
/** `object[index]`. */
export type IndexExpression = {
  readonly kind: 'Index';
  readonly object: Expression;
  readonly index: Expression;
} & Positioned;

/** Assignable expressions. */
export type AssignTarget = IdentifierExpression | MemberExpression | IndexExpression;

/** One `name = init` of a declaration. */
export interface Declarator extends Positioned {
  readonly name: string;
  readonly init: Expression | null;
}

/** Any statement node. */
export type Statement =
  | ({
      readonly kind: 'Block';
      readonly body: readonly Statement[];
      /** False when no statement directly inside declares a variable, so no scope is needed. */
      readonly declares: boolean;
    } & Positioned)
  | DeclarationStatement
  | ExpressionStatement
  | ({
      readonly kind: 'If';
      readonly test: Expression;
      readonly consequent: Statement;
      readonly alternate: Statement | null;
    } & Positioned)
  | ({
      readonly kind: 'For';
      readonly init: DeclarationStatement | readonly Expression[];
      readonly test: Expression | null;
      readonly update: readonly Expression[];
      readonly body: Statement;
    } & Positioned)
  | ({
      readonly kind: 'ForEach';
      readonly type: TypeName;
      readonly name: string;
      readonly iterable: Expression;
      readonly body: Statement;
    } & Positioned)
  | ({ readonly kind: 'While'; readonly test: Expression; readonly body: Statement } & Positioned)
  | ({ readonly kind: 'DoWhile'; readonly body: Statement; readonly test: Expression } & Positioned)
  | ({ readonly kind: 'Break' | 'Continue' | 'Empty' } & Positioned)
  | ({ readonly kind: 'Return'; readonly argument: Expression | null } & Positioned)
  | ({ readonly kind: 'Throw'; readonly argument: Expression } & Positioned)
  | ({
      readonly kind: 'Try';
      readonly block: Statement;
      readonly handlers: readonly { type: TypeName; name: string; body: Statement }[];
    } & Positioned);

/** `Type a = 1, b;` */
export type DeclarationStatement = {
  readonly kind: 'Declaration';
  readonly type: TypeName;
  readonly declarators: readonly Declarator[];
} & Positioned;

/** An expression used as a statement. */
export type ExpressionStatement = {
  readonly kind: 'Expression';
  readonly expression: Expression;
  /** Set on a script's final expression statements: Painless returns their value. */
  implicitReturn: boolean;
} & Positioned;

/** A top-level `Type name(params) { ... }`. */
export interface FunctionDeclaration extends Positioned {
  readonly name: string;
  readonly returnType: TypeName;
  readonly parameters: readonly { type: TypeName; name: string }[];
  readonly body: Statement;
}

/** A parsed script. */
export interface Program {
  /** Keyed `name/arity`: Painless overloads functions by argument count. */
  readonly functions: ReadonlyMap<string, FunctionDeclaration>;
  readonly body: readonly Statement[];
  /** Every function call site, checked against declared functions and builtins after parsing. */
  readonly calls: readonly CallExpression[];
}
