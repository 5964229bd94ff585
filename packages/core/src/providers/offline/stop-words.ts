/**
 * Function words that say nothing about what a question is about. Dropped
 * from the answerer's query only: a question like "what is the capital of
 * Mongolia?" must not match a document on `what`, `is`, `the`, `of`.
 * English plus the commonest Chinese and Japanese question/function words;
 * other languages still work, with idf alone discounting their common words.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  // English
  'a', 'an', 'the', 'and', 'or', 'but', 'if', 'of', 'at', 'by', 'for', 'with', 'about', 'to', 'from', 'in', 'on', 'into',
  'onto', 'as', 'than', 'then', 'so', 'that', 'this', 'these', 'those', 'there', 'here', 'it', "it's", 'its', 'is', 'are',
  'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does', 'did', 'done', 'doing', 'have', 'has', 'had', 'having',
  'can', 'could', 'will', 'would', 'shall', 'should', 'may', 'might', 'must', 'i', 'me', 'my', 'we', 'us', 'our', 'you',
  'your', 'he', 'him', 'his', 'she', 'her', 'they', 'them', 'their', 'what', "what's", 'which', 'who', "who's", 'whom',
  'whose', 'when', 'where', 'why', 'how', 'not', 'no', 'any', 'some', 'all', 'each', 'other', 'such', 'also', 'very',
  'just', 'only', 'own', 'same', 'too', 'both', 'more', 'most', 'many', 'much',
  // Chinese
  '的', '了', '是', '吗', '呢', '吧', '啊', '在', '和', '与', '及', '或', '有', '没有', '我', '你', '您', '他', '她', '它',
  '我们', '你们', '他们', '这', '那', '这个', '那个', '什么', '怎么', '怎样', '如何', '为什么', '哪', '哪里', '哪个', '哪些',
  '谁', '多少', '几', '请问', '一个', '就', '都', '也', '还', '把', '被', '对', '从', '到', '给', '会', '能', '可以',
  // Japanese
  'の', 'は', 'が', 'を', 'に', 'で', 'と', 'も', 'か', 'へ', 'や', 'から', 'まで', 'です', 'ます', 'でし', 'まし', 'た',
  'だ', 'する', 'し', 'ある', 'いる', 'この', 'その', 'あの', 'どの', 'なに', '何', 'どこ', 'いつ', 'だれ', '誰', 'どう',
  'なぜ', 'どうして', 'どれ', 'ください',
]);
