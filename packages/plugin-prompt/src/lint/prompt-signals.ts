import { findVagueWords, type VagueHit } from './vague-words.js';

/** Measurable features of a prompt's text; the scorer turns them into sub-scores and findings. */
export interface PromptSignals {
  /** Latin words plus CJK characters / 2, so Chinese and English prompts of equal content weigh alike. */
  readonly words: number;
  readonly taskVerb: string | undefined;
  readonly vague: VagueHit[];
  readonly outputFormat: string | undefined;
  readonly lengthLimit: string | undefined;
  readonly rules: number;
  readonly audienceOrTone: boolean;
  readonly headings: number;
  readonly listItems: number;
  readonly delimiters: boolean;
  readonly paragraphs: number;
  readonly inputReferenced: boolean;
  readonly exampleMarkers: number;
  /** How often each value follows a `Label:` / `标签:` line, for few-shot balance. */
  readonly labels: Map<string, number>;
}

const TASK_VERB =
  /\b(write|summari[sz]e|extract|classify|translate|answer|list|explain|generate|diagnose|analy[sz]e|identify|return|rewrite|describe|compare|review|evaluate|create|draft|convert|categori[sz]e|rank|find|fix|refactor|implement|respond|reply|label|tag)\b|写|总结|摘要|提取|抽取|分类|翻译|回答|列出|解释|生成|分析|诊断|判断|识别|输出|撰写|改写|评估|比较|概括/i;
const OUTPUT_FORMAT =
  /\b(json|yaml|csv|xml|markdown|table|bullet(ed)? (list|points)|numbered list|as a list|one (word|line|sentence)|\d+ (sentences|bullets|items|words|paragraphs)|(with|these|following|specified) keys)\b|\{\{\s*\w+\s*\}\}\s*(sentences|bullets|items|words|paragraphs)|格式|表格|列表|JSON|\d+\s*(句|条|个要点|段)|字数|分点|编号/i;
const LENGTH_LIMIT =
  /\b(at most|no more than|under|up to|maximum|max\.?|within|fewer than|less than|exactly)\s+\d+|\b\d+\s*(words|sentences|characters|tokens|lines|bullets)\b|\{\{\s*\w+\s*\}\}\s*(sentences|words)|不超过|不少于|以内|\d+\s*字|字数|\d+\s*句/i;
const RULE_WORDS = /\b(must|must not|do not|don't|never|always|only|avoid|exactly|should|required?)\b|必须|不要|禁止|不得|只(能|用|输出|返回)?|务必|避免|应该/gi;
const AUDIENCE_OR_TONE = /\b(audience|tone|for (beginners|experts|developers|engineers|customers|children|readers|a \w+ audience)|formal|informal|friendly|concise|style|persona|you are an?)\b|读者|受众|面向|语气|风格|口吻|你是一(名|位|个)/i;
const HEADING = /^(#{1,6}\s+\S.*|[A-Za-z\u4e00-\u9fff][\w \u4e00-\u9fff]{0,30}[:：][ \t]*(\{\{.*\}\})?[ \t]*)$/gm;
const LIST_ITEM = /^\s*([-*•]|\d+[.)、])\s+\S/gm;
const DELIMITER = /```|"""|^---+$|^###|<\/?[a-z_]+>|【|】|^={3,}$/m;
const INPUT_REFERENCE = /\{\{[^}]+\}\}|\{[a-z_]+\}|\b(text|context|document|input|passage|data|code|problem|question)\s*(below|above|:)|following|以下|如下|下面|上述|文本[:：]|上下文/i;
const EXAMPLE_MARKER = /\b(example|examples|e\.g\.|for instance|sample)\b|例如|示例|例子|比如|范例|^\s*(input|output|输入|输出)\s*[:：]/gim;
const LABEL_LINE = /^[ \t]*(label|category|sentiment|answer|标签|类别|分类)\s*[:：][ \t]*(\S.*?)[ \t]*$/gim;

function wordCount(text: string): number {
  const cjk = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
  const latin = (text.match(/[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*/g) ?? []).length;
  return latin + cjk / 2;
}

export function measurePrompt(text: string): PromptSignals {
  const labels = new Map<string, number>();
  for (const m of text.matchAll(LABEL_LINE)) {
    const value = m[2] ?? '';
    // A `Label:` line left open for the model to complete, or a placeholder, is not a labelled example.
    if (value === '' || value.includes('{{')) continue;
    labels.set(value.toLowerCase(), (labels.get(value.toLowerCase()) ?? 0) + 1);
  }
  return {
    words: wordCount(text),
    taskVerb: TASK_VERB.exec(text)?.[0],
    vague: findVagueWords(text),
    outputFormat: OUTPUT_FORMAT.exec(text)?.[0],
    lengthLimit: LENGTH_LIMIT.exec(text)?.[0],
    rules: (text.match(RULE_WORDS) ?? []).length,
    audienceOrTone: AUDIENCE_OR_TONE.test(text),
    headings: (text.match(HEADING) ?? []).length,
    listItems: (text.match(LIST_ITEM) ?? []).length,
    delimiters: DELIMITER.test(text),
    paragraphs: text.split(/\n\s*\n/).filter((p) => p.trim() !== '').length,
    inputReferenced: INPUT_REFERENCE.test(text),
    exampleMarkers: (text.match(EXAMPLE_MARKER) ?? []).length,
    labels,
  };
}
