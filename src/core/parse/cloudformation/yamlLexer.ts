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
 * It relies on two internals of `yaml` (the `indentNext` field and the two generator methods named
 * below), which is why `yaml` is pinned to an exact version; the parse tests fail if they change.
 */
import { CST, Lexer, Parser } from 'yaml';
import { MAX_NESTING_DEPTH } from '../limits';

/** What the lexer emits when a line ends every open flow collection (`yaml`'s `CST.FLOW_END`). */
const FLOW_ENDED_BY_ERROR = CST.FLOW_END;

interface LexerInternals {
  indentNext: number;
  parseFlowCollection(): Generator<string, string>;
  parseQuotedScalar(): Generator<string, string>;
}

class CloudFormationLexer extends Lexer {}

function ignoreIndentationIn(method: 'parseFlowCollection' | 'parseQuotedScalar'): void {
  const original = (Lexer.prototype as unknown as LexerInternals)[method];
  (CloudFormationLexer.prototype as unknown as LexerInternals)[method] = function* (this: LexerInternals) {
    const required = this.indentNext;
    this.indentNext = 0;
    try {
      return yield* original.call(this);
    } finally {
      // A value that ended and opened a block collection sets its own indentation; keep that.
      if (this.indentNext === 0) this.indentNext = required;
    }
  };
}

ignoreIndentationIn('parseFlowCollection');
ignoreIndentationIn('parseQuotedScalar');

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
