export { DEFAULT_K, type RetrievalMethod, type RetrievedChunk, type RetrieveOptions, type Retriever } from './retriever.js';
export { KeywordIndex, keywordTerms, queryTerms, type KeywordDocument, type KeywordHit, type KeywordIndexOptions } from './keyword-index.js';
export { VectorRetriever } from './vector-retriever.js';
export { Bm25Retriever } from './bm25-retriever.js';
export { DEFAULT_RRF_K, reciprocalRankFusion, type FusionOptions } from './reciprocal-rank-fusion.js';
export { DEFAULT_HYBRID_CANDIDATES, HybridRetriever, type HybridRetrieverOptions } from './hybrid-retriever.js';
export { MmrRetriever, type MmrOptions } from './mmr-retriever.js';
export { createRetriever, type RetrievalMode, type RetrieverSettings } from './create-retriever.js';
export { classifierReranker, RerankRetriever, type ClassifierRerankerOptions, type Reranker } from './reranker.js';
