/**
 * YAML read the way CloudFormation and PyYAML (which SAM and cfn-lint use) read it. The `yaml`
 * library follows the YAML 1.2 spec to the letter: inside a quoted scalar or a flow collection, a
 * line indented less than the key it belongs to ends the value (its lexer emits the end of the flow
 * and the rest becomes errors). PyYAML ignores indentation inside flow collections and quoted
 * scalars altogether, so templates such as
 *
 *     PolicyDocument: !Sub '{
 *       "Version": "2012-10-17"
 *     }'
 *     CustomStatements: [{
 *       "Sid": "x"
 *     }]
 *
 * deploy fine. This lexer is `yaml`'s own with one difference: while it reads a flow collection or a
 * quoted scalar the minimum indentation is zero, so only a document marker (`---`, `...` at column
 * 0) ends them early, as in PyYAML. Everything after the lexer (the parser, the composer, their
 * errors and positions) is `yaml`'s unchanged, so one parse serves strict and tolerant input alike.
 *
 * It relies on internals of `yaml`'s lexer (the `indentNext`, `buffer` and `pos` fields and the
 * methods replaced below), which is why `yaml` is pinned to an exact version; the parse tests fail
 * if they change. Measured against the strict lexer on a 0.3 MB template: within noise (±5%).
 */
import { CST, Lexer, Parser } from 'yaml';
import { MAX_NESTING_DEPTH } from '../limits';

/** What the lexer emits when a line ends every open flow collection (`yaml`'s `CST.FLOW_END`). */
const FLOW_ENDED_BY_ERROR = CST.FLOW_END;

interface LexerInternals {
  indentNext: number;
  /** The indentation `indentNext` held before the current flow collection; see below. */
  indentBeforeFlow?: number;
  parseFlowCollection(): Generator<string, string>;
  buffer: string;
  pos: number;
  continueScalar(offset: number): number;
  parseDocument(): Generator<string, string>;
  parseLineStart(): Generator<string, string>;
}

class CloudFormationLexer extends Lexer {}

const base = Lexer.prototype as unknown as LexerInternals;
const lexer = CloudFormationLexer.prototype as unknown as LexerInternals;

/*
 * Inside a flow collection the lexer is called once per token: a generator around each call cost a
 * tenth of the whole parse. Plain functions instead: the first call of a flow collection sets the
 * minimum indentation to zero, and the lexer's return to block context (`doc` after the closing
 * bracket, `line-start` after an error) puts it back before the block is read on.
 */
lexer.parseFlowCollection = function (this: LexerInternals) {
  if (this.indentBeforeFlow === undefined) {
    this.indentBeforeFlow = this.indentNext;
    this.indentNext = 0;
  }
  return base.parseFlowCollection.call(this);
};

function restoringIndentation(method: 'parseDocument' | 'parseLineStart'): void {
  const original = base[method];
  lexer[method] = function (this: LexerInternals) {
    if (this.indentBeforeFlow !== undefined) {
      if (this.indentNext === 0) this.indentNext = this.indentBeforeFlow;
      this.indentBeforeFlow = undefined;
    }
    return original.call(this);
  };
}

restoringIndentation('parseDocument');
restoringIndentation('parseLineStart');

/**
 * Line breaks inside a scalar go through `continueScalar`; when the scalar being read is a quoted
 * one (the lexer stands on its opening quote, which no plain or block scalar starts with), any
 * indentation continues it.
 */
lexer.continueScalar = function (this: LexerInternals, offset: number): number {
  const opening = this.buffer[this.pos];
  if (opening !== "'" && opening !== '"') return base.continueScalar.call(this, offset);
  const required = this.indentNext;
  this.indentNext = 0;
  const next = base.continueScalar.call(this, offset);
  this.indentNext = required;
  return next;
};

export interface TokenReading {
  /** Set when collections nest deeper than {@link MAX_NESTING_DEPTH}; the tokens stop there. */
  tooDeep: boolean;
}

/**
 * The concrete syntax tokens of a template, as `new Parser().parse(text)` gives them but lexed as
 * above. Flow collections are counted as they open, so that `[[[[…` is refused before the lexer and
 * parser (whose work grows with the square of the depth) spend a second on it.
 */
export function* cloudFormationTokens(text: string, reading: TokenReading): Generator<CST.Token> {
  const parser = new Parser();
  let flowDepth = 0;
  for (const lexeme of new CloudFormationLexer().lex(text)) {
    if (lexeme === '[' || lexeme === '{') {
      flowDepth += 1;
      if (flowDepth > MAX_NESTING_DEPTH) {
        reading.tooDeep = true;
        return;
      }
    } else if (lexeme === ']' || lexeme === '}') {
      flowDepth = Math.max(0, flowDepth - 1);
    } else if (lexeme === FLOW_ENDED_BY_ERROR) {
      flowDepth = 0;
    }
    yield* parser.next(lexeme);
  }
  yield* parser.end();
}
