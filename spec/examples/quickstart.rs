//! Lists the risk-scoring integrations of an account and shows the riskiest users.
//!
//! ```sh
//! export CLOUDFLARE_API_TOKEN=...        # or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL
//! export CLOUDFLARE_ACCOUNT_ID=...
//! cargo run --example quickstart
//! ```

use cloudflare_risk_scoring::types::RiskLevel;
use cloudflare_risk_scoring::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let account_id = std::env::var("CLOUDFLARE_ACCOUNT_ID")?;
    let risk_scoring = client.zero_trust().risk_scoring();

    for integration in risk_scoring.integrations().list(&account_id).await? {
        println!(
            "{} {} active={} tenant={}",
            integration.id,
            integration.integration_type,
            integration.active,
            integration.tenant_url
        );
    }

    match risk_scoring.summary().get(&account_id).await {
        Ok(summary) => {
            for user in summary
                .users
                .iter()
                .filter(|user| user.max_risk_level == RiskLevel::High)
            {
                println!(
                    "high risk: {} <{}> ({} events)",
                    user.name, user.email, user.event_count
                );
            }
        }
        // API errors carry Cloudflare's codes and messages and the request's cf-ray id.
        Err(error @ Error::Api { .. }) => eprintln!("the API refused: {error}"),
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
