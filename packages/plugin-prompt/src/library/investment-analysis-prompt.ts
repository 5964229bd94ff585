import { z } from 'zod';
import { definePrompt } from '../templates/prompt-template.js';
import { definePromptLibraryEntry } from './library-entry.js';

export const investmentAnalysisOutputSchema = z.object({
  recommendation: z.enum(['buy', 'hold', 'sell']),
  confidence: z.number().min(0).max(1),
  /** The chain of thought, one entry per step the prompt lists. */
  steps: z.array(z.object({ step: z.string().min(1), analysis: z.string().min(1) })).min(1),
  risks: z.array(z.string()),
  opportunities: z.array(z.string()),
  summary: z.string().min(1),
});

export type InvestmentAnalysis = z.infer<typeof investmentAnalysisOutputSchema>;

export const investmentAnalysisPrompt = definePromptLibraryEntry({
  task: 'analysis',
  description: 'Chain-of-thought investment analysis of a stock: six reasoning steps, then a buy / hold / sell recommendation as JSON.',
  prompt: definePrompt({
    name: 'investment-analysis',
    description: 'Chain-of-thought investment analysis',
    variables: z.object({
      sector: z.string().min(1).default('technology and automotive sectors'),
      stockData: z.string().min(1),
    }),
    outputSchema: investmentAnalysisOutputSchema,
    settings: { temperature: 0.7, maxTokens: 1000 },
    messages: [
      { role: 'system', template: 'You are a financial analyst specializing in {{sector}}.' },
      {
        role: 'user',
        template: `Analyze the investment potential of a stock given the following data:

{{stockData}}

Follow these steps to reach a conclusion:
1. Evaluate the company's financial health (revenue growth, profit margins, debt levels)
2. Analyze market conditions and industry trends
3. Consider macroeconomic factors (interest rates, inflation, regulations)
4. Assess competitive positioning and market share
5. Identify potential risks and opportunities
6. Formulate an overall investment recommendation with supporting evidence

Reason through each step before deciding. Answer with only a JSON object:
{"recommendation": "buy" | "hold" | "sell", "confidence": number from 0 to 1, "steps": [{"step": string, "analysis": string}, one per step above], "risks": [string], "opportunities": [string], "summary": string}`,
      },
    ],
  }),
  example: {
    variables: {
      stockData: `Company: Tesla Inc. (TSLA)
Recent quarter revenue: $23.18 billion (up 24% YoY)
Net profit margin: 9.6% (industry average: 7.2%)
Debt-to-equity ratio: 0.92
Industry: Electric Vehicles
Market conditions: Growing demand for EVs, government incentives in key markets
Macroeconomic factors: Rising interest rates, semiconductor shortages
Competitive position: Leading market share (21% global EV market), strong brand loyalty
Risks: Regulatory changes, battery supply constraints, competition from traditional automakers`,
    },
    sampleAnswer: JSON.stringify({
      recommendation: 'hold',
      confidence: 0.6,
      steps: [
        { step: 'Financial health', analysis: 'Revenue up 24% YoY and a 9.6% margin above the 7.2% industry average; debt-to-equity of 0.92 is moderate.' },
        { step: 'Market conditions', analysis: 'EV demand is growing and incentives support it.' },
        { step: 'Macroeconomic factors', analysis: 'Rising rates weigh on valuations and car financing; chip shortages constrain output.' },
        { step: 'Competitive positioning', analysis: 'A 21% global EV share and strong brand loyalty lead the market.' },
        { step: 'Risks and opportunities', analysis: 'Supply and regulatory risks against continued EV adoption.' },
        { step: 'Recommendation', analysis: 'Strong fundamentals are offset by macro headwinds and rising competition.' },
      ],
      risks: ['Regulatory changes', 'Battery supply constraints', 'Competition from traditional automakers'],
      opportunities: ['Growing EV demand', 'Government incentives'],
      summary: 'Hold: fundamentals lead the industry, but rates, supply constraints and competition limit near-term upside.',
    }),
  },
  outputSchema: investmentAnalysisOutputSchema,
});
