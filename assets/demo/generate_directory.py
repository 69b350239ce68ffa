#!/usr/bin/python3
# Owns the demo's community resource directory: writes directory.json, a FHIR R4 collection
# Bundle of fictional HealthcareServices with their Organizations and Locations around the demo
# clinic in SE Portland (SCREENS.md 7, FHIR.md). Seeded, so a rerun is byte-identical. Stdlib
# only; nothing in the kiosk imports this script. No resource may name the clinic or its program.

import json
import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = "cedar-grove-directory-1"
CLINIC = (45.5123, -122.6158)          # the demo clinic (clinic.json, Location/site-main)
CLINIC_PHONE = "503-555-0142"          # never given to a resource
CATEGORY_SYSTEM = "urn:iop-kiosk:resource-category"
BRING_EXT = "urn:iop-kiosk:what-to-bring"
PROVISION = "http://terminology.hl7.org/CodeSystem/service-provision-conditions"
SDOH = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
BCP47 = "urn:ietf:bcp:47"
CATEGORY_WORDS = {
    "housing": "Housing", "food": "Food", "employment": "Employment",
    "transportation": "Transportation", "legal-aid": "Legal aid", "health-care": "Health care",
    "mental-health": "Mental health", "recovery-support": "Recovery support",
    "childcare": "Childcare", "education": "Education", "clothing": "Clothing",
    "utilities": "Utilities", "money": "Money"}
# Published codes some services also carry, as a real server's data would.
SDOH_CODES = {"housing": "housing-instability", "food": "food-insecurity",
              "transportation": "transportation-insecurity", "money": "financial-insecurity",
              "utilities": "utility-insecurity", "employment": "employment-status",
              "education": "educational-attainment", "clothing": "material-hardship"}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "vi": "Vietnamese", "ru": "Russian",
                  "zh": "Chinese", "so": "Somali", "ar": "Arabic", "uk": "Ukrainian"}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_WORDS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Neighbourhoods: centre, city, state, ZIP, streets, street-number range. Centres are
# approximate; each site is jittered around its centre and kept 0.3-25 km from the clinic.
AREAS = {
    "tabor": ((45.5150, -122.6060), "Portland", "OR", "97215",
              ["SE Belmont St", "SE Hawthorne Blvd", "SE 60th Ave", "SE Yamhill St"], (5200, 6400)),
    "richmond": ((45.5045, -122.6330), "Portland", "OR", "97214",
                 ["SE Division St", "SE Clinton St", "SE 34th Ave", "SE Hawthorne Blvd"], (2800, 3900)),
    "buckman": ((45.5180, -122.6520), "Portland", "OR", "97214",
                ["SE Grand Ave", "SE Morrison St", "SE 12th Ave", "SE Stark St"], (100, 1500)),
    "downtown": ((45.5190, -122.6790), "Portland", "OR", "97204",
                 ["SW 4th Ave", "SW Alder St", "SW Columbia St", "SW 5th Ave"], (200, 1300)),
    "oldtown": ((45.5250, -122.6740), "Portland", "OR", "97209",
                ["NW Everett St", "NW Glisan St", "NW Broadway", "NW 6th Ave"], (300, 900)),
    "lloyd": ((45.5310, -122.6560), "Portland", "OR", "97232",
              ["NE Multnomah St", "NE Broadway", "NE 11th Ave", "NE Halsey St"], (500, 1800)),
    "montavilla": ((45.5180, -122.5800), "Portland", "OR", "97216",
                   ["SE Stark St", "NE Glisan St", "SE 80th Ave", "SE Washington St"], (7600, 8400)),
    "foster": ((45.4960, -122.5950), "Portland", "OR", "97206",
               ["SE Foster Rd", "SE Powell Blvd", "SE 67th Ave", "SE Holgate Blvd"], (5800, 7200)),
    "lents": ((45.4800, -122.5680), "Portland", "OR", "97266",
              ["SE 92nd Ave", "SE Foster Rd", "SE Woodstock Blvd", "SE Ramona St"], (8800, 9600)),
    "woodstock": ((45.4790, -122.6150), "Portland", "OR", "97206",
                  ["SE Woodstock Blvd", "SE 52nd Ave", "SE Flavel St", "SE Duke St"], (4400, 5600)),
    "sellwood": ((45.4650, -122.6500), "Portland", "OR", "97202",
                 ["SE 13th Ave", "SE Tacoma St", "SE Milwaukie Ave", "SE Bybee Blvd"], (1300, 8200)),
    "gateway": ((45.5330, -122.5640), "Portland", "OR", "97220",
                ["NE 102nd Ave", "NE Halsey St", "NE Sandy Blvd", "NE Weidler St"], (1000, 10800)),
    "hazelwood": ((45.5200, -122.5390), "Portland", "OR", "97233",
                  ["SE 122nd Ave", "SE Stark St", "SE Division St", "SE Main St"], (11800, 12600)),
    "rockwood": ((45.5150, -122.4780), "Gresham", "OR", "97030",
                 ["SE 181st Ave", "SE Stark St", "E Burnside St", "SE Yamhill St"], (17800, 18900)),
    "gresham": ((45.4980, -122.4310), "Gresham", "OR", "97030",
                ["W Powell Blvd", "NE Hood Ave", "NW Eastman Pkwy", "SE Roberts Ave"], (100, 1500)),
    "alberta": ((45.5590, -122.6600), "Portland", "OR", "97211",
                ["NE Alberta St", "NE Killingsworth St", "NE Martin Luther King Jr Blvd",
                 "NE 15th Ave"], (1000, 5200)),
    "hollywood": ((45.5370, -122.6200), "Portland", "OR", "97213",
                  ["NE Sandy Blvd", "NE 42nd Ave", "NE Halsey St", "NE Tillamook St"], (1800, 4600)),
    "cully": ((45.5580, -122.6040), "Portland", "OR", "97218",
              ["NE Cully Blvd", "NE Prescott St", "NE 60th Ave", "NE Killingsworth St"], (4200, 6400)),
    "kenton": ((45.5800, -122.6860), "Portland", "OR", "97217",
               ["N Interstate Ave", "N Denver Ave", "N Lombard St", "N Kilpatrick St"], (7000, 8600)),
    "stjohns": ((45.5900, -122.7530), "Portland", "OR", "97203",
                ["N Lombard St", "N Philadelphia Ave", "N Ivanhoe St", "N Charleston Ave"], (7200, 8900)),
    "milwaukie": ((45.4460, -122.6390), "Milwaukie", "OR", "97222",
                  ["SE Main St", "SE Harrison St", "SE King Rd", "SE 32nd Ave"], (10400, 11600)),
    "clackamas": ((45.4300, -122.5700), "Happy Valley", "OR", "97086",
                  ["SE Sunnyside Rd", "SE 82nd Ave", "SE Causey Ave", "SE Johnson Creek Blvd"],
                  (8600, 13400)),
    "beaverton": ((45.4870, -122.8040), "Beaverton", "OR", "97005",
                  ["SW Canyon Rd", "SW Broadway St", "SW Hall Blvd", "SW Farmington Rd"], (3900, 12600)),
    "tigard": ((45.4310, -122.7710), "Tigard", "OR", "97223",
               ["SW Pacific Hwy", "SW Main St", "SW Greenburg Rd", "SW Hall Blvd"], (9000, 12800)),
    "lakeoswego": ((45.4200, -122.6700), "Lake Oswego", "OR", "97034",
                   ["A Ave", "B Ave", "N State St", "Boones Ferry Rd"], (100, 900)),
    "oregoncity": ((45.3570, -122.6060), "Oregon City", "OR", "97045",
                   ["Main St", "Molalla Ave", "7th St", "Beavercreek Rd"], (500, 1900)),
    "troutdale": ((45.5390, -122.3870), "Troutdale", "OR", "97060",
                  ["E Historic Columbia River Hwy", "SW 257th Ave", "NW Frontage Rd"], (100, 2600)),
    "vancouver": ((45.6300, -122.6700), "Vancouver", "WA", "98660",
                  ["Main St", "E Mill Plain Blvd", "Fourth Plain Blvd", "Broadway St"], (1000, 3400)),
}

# Organizations: key -> (name, area, web slug or "" for none).
ORGS = {
    "eastbank": ("Eastbank Shelter Alliance", "buckman", "eastbank-shelter"),
    "rosewood": ("Rosewood Family Housing Network", "montavilla", "rosewood-housing"),
    "neighbors-fund": ("Multnomah Neighbors Housing Fund", "lloyd", "neighbors-fund"),
    "renters-law": ("Portland Renters' Law Collective", "downtown", "renters-law"),
    "harborview": ("Harborview Women's Shelter", "oldtown", ""),
    "bridgeway": ("Bridgeway Youth Services", "buckman", "bridgeway-youth"),
    "cornerstone": ("Cornerstone Sober Living Homes", "foster", "cornerstone-homes"),
    "gateway-housing": ("Gateway Housing Access Center", "gateway", "gateway-housing"),
    "warming": ("Eastside Warming Collaborative", "hazelwood", ""),
    "elder-housing": ("Elder Housing Options", "sellwood", "elder-housing"),
    "columbia-vets": ("Columbia Veterans Resource Center", "hollywood", "columbia-vets"),
    "home-repair": ("Neighborhood Home Repair Co-op", "cully", "home-repair-coop"),
    "foster-pantry": ("Foster Road Community Pantry", "foster", "foster-pantry"),
    "st-brigid": ("St. Brigid's Community Meals", "richmond", ""),
    "free-fridge": ("Hawthorne Mutual Aid Collective", "tabor", "hawthorne-mutual-aid"),
    "benefits-nav": ("Eastside Benefits Navigators", "montavilla", "benefits-navigators"),
    "se-nutrition": ("Southeast Family Nutrition Clinic", "woodstock", "se-family-nutrition"),
    "lents-market": ("Lents Fresh Produce Project", "lents", "lents-produce"),
    "montavilla-united": ("Montavilla United Neighbors", "montavilla", ""),
    "east-african": ("East African Community Alliance", "hazelwood", "eaca"),
    "se-seniors": ("Southeast Senior Center", "woodstock", "se-senior-center"),
    "eastgate-college": ("Eastgate Community College", "gateway", "eastgate-college"),
    "homebound": ("Neighbors Deliver", "hollywood", "neighbors-deliver"),
    "gresham-pantry": ("Gresham Community Food Pantry", "gresham", "gresham-pantry"),
    "breakfast-club": ("Kenton Saturday Breakfast Club", "kenton", ""),
    "willamette-works": ("Willamette Works Career Center", "lloyd", "willamette-works"),
    "open-door": ("Open Door Employment Partners", "alberta", "open-door-jobs"),
    "trades": ("Trades Pathways NW", "stjohns", "trades-pathways"),
    "youth-jobs": ("Future Ready Youth Employment", "rockwood", "future-ready"),
    "workers-center": ("Eastside Workers' Center", "foster", "eastside-workers"),
    "voc-rehab": ("Metro Vocational Rehabilitation Office", "downtown", ""),
    "new-arrivals": ("New Arrivals Job Placement", "hazelwood", "new-arrivals"),
    "kitchen-training": ("Second Helping Kitchen Academy", "buckman", "second-helping"),
    "transit-access": ("Metro Area Transit Access Office", "downtown", "transit-access"),
    "ride-line": ("CareRide Medical Transport", "lloyd", "careride"),
    "spokes": ("Spokes for All Community Bike Shop", "richmond", "spokes-for-all"),
    "senior-drivers": ("Volunteer Wheels", "milwaukie", "volunteer-wheels"),
    "car-care": ("Fix It Forward Auto Help", "clackamas", "fix-it-forward"),
    "access-shuttle": ("Access Shuttle Services", "beaverton", "access-shuttle"),
    "legal-line": ("Northwest Legal Advice Line", "downtown", "nw-legal-advice"),
    "record-clearing": ("Fresh Start Record Clearing Project", "alberta", "fresh-start"),
    "immigrant-law": ("Puentes Immigration Legal Services", "cully", "puentes-legal"),
    "family-law": ("Family Court Help Center", "downtown", ""),
    "safe-harbor": ("Safe Harbor Advocacy", "lloyd", "safe-harbor"),
    "benefits-law": ("Disability Benefits Advocates", "oldtown", "benefits-advocates"),
    "consumer-law": ("Consumer Debt Law Clinic", "beaverton", "debt-law-clinic"),
    "name-change": ("Affirming Names Project", "buckman", "affirming-names"),
    "division-health": ("Division Street Community Health", "richmond", "division-health"),
    "street-medicine": ("Streetside Medicine", "oldtown", "streetside-medicine"),
    "discount-pharmacy": ("Neighborhood Discount Pharmacy", "tabor", ""),
    "urgent-walkin": ("Powell Walk-In Clinic", "foster", "powell-walkin"),
    "womens-health": ("Riverside Women's Health", "sellwood", "riverside-womens-health"),
    "vision": ("Clear Sight Vision Project", "gateway", "clear-sight"),
    "testing": ("Positive Steps Testing Center", "buckman", "positive-steps"),
    "school-health": ("Eastside School-Based Health Center", "lents", ""),
    "tuesday-clinic": ("Tuesday Night Free Clinic", "alberta", "tuesday-clinic"),
    "crisis-line": ("Metro Crisis Line", "downtown", "metro-crisis-line"),
    "walkin-crisis": ("Eastside Urgent Walk-In Mental Health", "buckman", "urgent-walkin-mh"),
    "counseling": ("Stillwater Counseling Collective", "hollywood", "stillwater-counseling"),
    "warmline": ("Eastside Peer Warmline", "lloyd", "peer-warmline"),
    "youth-mh": ("Mindful Youth Center", "gresham", "mindful-youth"),
    "viet-wellness": ("Vietnamese Family Wellness Center", "hazelwood", "viet-wellness"),
    "somali-wellness": ("Somali Family Wellness", "rockwood", ""),
    "trauma-group": ("Willow Trauma Recovery Circle", "tabor", ""),
    "psych-clinic": ("Hawthorne Psychiatric Associates", "richmond", "hawthorne-psych"),
    "vet-center": ("Veterans Counseling Center East", "gateway", ""),
    "pride-support": ("Rainbow Bridge Support Network", "buckman", "rainbow-bridge"),
    "recovery-center": ("Eastside Recovery Community Center", "montavilla", "eastside-recovery"),
    "harm-reduction": ("Safer Together Harm Reduction", "oldtown", "safer-together"),
    "all-recovery": ("Lighthouse All-Recovery Meetings", "woodstock", ""),
    "nueva-esperanza": ("Grupo Nueva Esperanza", "lents", ""),
    "recovery-cafe": ("Common Ground Café", "alberta", "common-ground-cafe"),
    "family-recovery": ("Families in Recovery Circle", "milwaukie", "families-in-recovery"),
    "sober-sports": ("Sober Active Sports Club", "sellwood", "sober-active"),
    "early-steps": ("Early Steps Head Start", "lents", "early-steps"),
    "childcare-connect": ("Child Care Connect", "lloyd", "childcare-connect"),
    "crisis-nursery": ("Little Harbor Crisis Nursery", "kenton", "little-harbor"),
    "after-school": ("Brightside After-School Club", "woodstock", "brightside-club"),
    "infant-center": ("Sprout Infant and Toddler Center", "hollywood", "sprout-center"),
    "diaper-bank": ("Bottoms Up Diaper Bank", "foster", "bottoms-up"),
    "adult-learning": ("Eastside Adult Learning Center", "montavilla", "adult-learning"),
    "esl": ("Welcome English School", "hazelwood", "welcome-english"),
    "library": ("Powell Boulevard Branch Library", "foster", ""),
    "college-access": ("Next Step College Access", "alberta", "next-step-college"),
    "citizenship": ("New Neighbors Citizenship Project", "cully", "new-neighbors"),
    "parenting": ("Growing Families Parenting Center", "milwaukie", "growing-families"),
    "clothing-closet": ("Sunnyside Clothing Closet", "tabor", ""),
    "dress-for-work": ("Ready to Work Wardrobe", "downtown", "ready-to-work-wardrobe"),
    "kids-exchange": ("Little Threads Clothing Exchange", "sellwood", "little-threads"),
    "shoe-bank": ("Sole Support Shoe Bank", "gateway", ""),
    "laundry": ("Clean Start Laundry Project", "lents", "clean-start-laundry"),
    "hygiene-hub": ("Morning Rise Shower and Clothing Hub", "oldtown", ""),
    "gender-closet": ("Open Closet Collective", "alberta", "open-closet"),
    "energy-help": ("Community Energy Assistance Program", "gateway", "energy-assistance"),
    "water-help": ("Water Bill Help Desk", "downtown", ""),
    "weatherize": ("Weatherize Portland Homes", "cully", "weatherize-pdx"),
    "phone-program": ("Connected Oregon Phone and Internet Help", "lloyd", "connected-oregon"),
    "heat-seniors": ("Warm Homes for Elders", "milwaukie", ""),
    "tax-help": ("Free Tax Help Eastside", "montavilla", "free-tax-help"),
    "emergency-fund": ("Good Neighbor Emergency Fund", "woodstock", "good-neighbor-fund"),
    "credit-union": ("Eastside Community Credit Union", "hollywood", "eastside-ccu"),
    "savings": ("Build Up Matched Savings", "lloyd", "build-up-savings"),
    "payee": ("Steady Hands Payee Services", "richmond", ""),
    "microloans": ("Main Street Microloans", "vancouver", "main-street-microloans"),
    "id-help": ("ID Access Project", "oldtown", "id-access"),
    "debt-counsel": ("Clear Path Debt Counseling", "tigard", "clear-path-debt"),
    "lake-pantry": ("Lakeside Community Pantry", "lakeoswego", "lakeside-pantry"),
    "oc-resource": ("Clackamas Family Resource Hub", "oregoncity", "family-resource-hub"),
    "troutdale-aid": ("Troutdale Neighbors Helping Neighbors", "troutdale", ""),
}

# Walk-in groups and meetings without a phone of their own (a directory has such entries).
NO_PHONE = {"free-fridge", "all-recovery", "nueva-esperanza", "breakfast-club", "troutdale-aid",
            "montavilla-united", "clothing-closet", "gender-closet", "sober-sports", "hygiene-hub",
            "shoe-bank", "laundry", "st-brigid", "kids-exchange", "trauma-group", "somali-wellness",
            "pride-support", "lake-pantry"}

# Services: (org, name, categories, hours, languages, cost, eligibility, what to bring,
# description). hours: OpeningHours text ("Mon-Fri 09:00-17:00; Sat 10:00-14:00"), "24/7", or
# "appt: <words>" (no fixed hours); "... | <note>" adds a note. cost: "free", "free: <words>",
# "disc: <words>" (sliding scale / discounts) or "cost: <words>".
SERVICES = [
    # --- housing
    ("eastbank", "Eastbank Night Shelter", ["housing"], "Daily 19:00-07:00 | Check-in until 22:00",
     "en es", "free", "Adults 18 and older", "Photo ID if you have one (not required)",
     "Seventy beds in a low-barrier night shelter. Pets and partners welcome. Lockers for guests."),
    ("rosewood", "Family Shelter Intake", ["housing"], "Mon-Fri 09:00-17:00", "en es so", "free",
     "Families with children under 18, or pregnant people",
     "ID or birth certificate for each family member", "Intake for the family shelter network. Call first for a same-day screening."),
    ("neighbors-fund", "Rent Assistance Program", ["housing", "money"], "Mon-Thu 10:00-16:00",
     "en es vi ru", "free", "Household income at or below 50% of area median and behind on rent",
     "Lease; eviction notice if you have one; proof of income for the last 30 days; photo ID",
     "One-time help with past-due rent, paid directly to the landlord."),
    ("renters-law", "Tenant Rights Clinic", ["housing", "legal-aid"], "Tue,Thu 17:30-20:00",
     "en es", "free", "", "Your lease and any notices from your landlord",
     "Volunteer lawyers answer questions about repairs, deposits, rent increases and evictions."),
    ("harborview", "Women's Overnight Shelter", ["housing"], "Daily 20:00-08:00", "en es", "free",
     "Women and trans or nonbinary adults 18 and older", "",
     "Forty beds, dinner and breakfast. Quiet hours after 23:00."),
    ("bridgeway", "Youth Drop-In Center", ["housing", "food"], "Mon-Fri 10:00-18:00; Sat 12:00-16:00",
     "en es", "free", "Young people ages 16 to 24", "",
     "Meals, showers, laundry and case management for young people without stable housing."),
    ("bridgeway", "Youth Emergency Shelter", ["housing"], "24/7", "en es", "free",
     "Young people ages 16 to 24", "", "Twenty emergency beds; call the shelter line any time."),
    ("cornerstone", "Sober Living Homes", ["housing", "recovery-support"],
     "appt: By appointment; call to ask about open rooms", "en", "disc: $350-$550 a month, sliding scale",
     "30 days sober; willing to attend weekly house meetings", "Photo ID; proof of income",
     "Shared alcohol- and drug-free homes with peer house managers."),
    ("gateway-housing", "Housing Navigation Drop-In", ["housing"], "Mon-Fri 08:30-16:30",
     "en es ru vi", "free", "", "Photo ID if you have one",
     "Help finding and applying for apartments, housing waitlists and move-in funds."),
    ("warming", "Severe Weather Warming Center", ["housing"],
     "Daily 19:00-07:00 | Open only on nights below 32°F; call to confirm", "en es", "free", "", "",
     "Overnight warm space with mats, blankets and hot drinks on freezing nights."),
    ("elder-housing", "Senior Housing Help Line", ["housing"], "Mon-Fri 09:00-15:00", "en zh",
     "free", "Adults 62 and older", "", "Help with senior apartments, in-home supports and waitlists."),
    ("columbia-vets", "Veterans Housing Outreach", ["housing"], "Mon-Fri 08:00-16:30", "en", "free",
     "Veterans of any discharge status", "DD-214 if you have it",
     "Outreach workers connect veterans and their families with housing and rent help."),
    ("home-repair", "Critical Home Repairs", ["housing", "utilities"],
     "appt: By appointment after a phone screening", "en es", "free: Free for eligible homeowners",
     "Homeowners with income at or below 60% of area median", "Proof of ownership; proof of income",
     "Roof, plumbing, heating and accessibility repairs so people can stay in their homes."),
    ("neighbors-fund", "Eviction Prevention Hotline", ["housing", "legal-aid"], "Mon-Fri 09:00-19:00",
     "en es vi ru so", "free", "", "Any court papers or notices you received",
     "Same-day advice when you have received an eviction notice or court summons."),
    ("oc-resource", "Clackamas Housing Help Desk", ["housing"], "Mon-Fri 09:00-16:00", "en es",
     "free", "Clackamas County residents", "Photo ID; proof of address",
     "Housing applications, shelter referrals and move-in help for Clackamas County."),
    # --- food
    ("foster-pantry", "Community Food Pantry", ["food"],
     "Tue,Thu,Sat 10:00-13:00; Wed 17:00-19:00", "en es vi", "free", "",
     "A bag or box; no ID needed", "Groceries, fresh produce and diapers once a week."),
    ("st-brigid", "Daily Hot Lunch", ["food"], "Daily 11:30-13:00", "en es", "free", "", "",
     "A hot sit-down lunch served every day, no questions asked."),
    ("free-fridge", "Hawthorne Free Fridge", ["food"], "24/7", "en", "free", "", "",
     "A community fridge and pantry shelf stocked by neighbors. Take what you need."),
    ("benefits-nav", "SNAP Application Help", ["food", "money"], "Mon-Fri 09:00-17:00",
     "en es vi ru zh so", "free", "",
     "Photo ID; proof of income; rent receipt or lease; utility bill",
     "Help applying for SNAP food benefits, renewals and replacement cards."),
    ("se-nutrition", "WIC Nutrition Clinic", ["food", "health-care"],
     "Mon-Fri 08:00-17:00 | By appointment; call to book", "en es vi", "free",
     "Pregnant or breastfeeding people, and children under 5",
     "ID; proof of address; proof of income or Oregon Health Plan card",
     "Healthy food benefits, breastfeeding support and nutrition advice for young families."),
    ("lents-market", "Mobile Fresh Food Market", ["food"], "Wed 15:00-18:00", "en es vi", "free",
     "", "Your own bags", "Free fresh produce from a market truck in the Lents Town Center lot."),
    ("montavilla-united", "Community Supper", ["food"], "Wed,Sun 17:00-18:30", "en", "free", "",
     "", "A neighborhood supper twice a week. Everyone is welcome."),
    ("east-african", "Halal Food Boxes", ["food"], "Fri 10:00-14:00", "so ar en", "free", "", "",
     "Culturally specific food boxes with halal meat, rice, oil and spices."),
    ("se-seniors", "Senior Lunch Program", ["food"], "Mon-Fri 11:30-12:30", "en ru",
     "free: Suggested donation $3; no one turned away", "Adults 60 and older", "",
     "A hot lunch and company every weekday."),
    ("eastgate-college", "Student Food Pantry", ["food", "education"],
     "Mon-Thu 10:00-18:00", "en es", "free", "Current Eastgate students", "Student ID",
     "Groceries and grab-and-go snacks for students."),
    ("homebound", "Home Food Delivery", ["food"], "appt: Deliveries are scheduled by phone",
     "en es zh", "free", "People who cannot leave home because of illness, disability or age", "",
     "Volunteers deliver a week of groceries to your door."),
    ("gresham-pantry", "Food Pantry", ["food"], "Mon,Wed,Fri 13:00-16:00", "en es ru", "free",
     "East County residents", "Proof of address if you have it",
     "A client-choice pantry: pick your own groceries like a small store."),
    ("breakfast-club", "Saturday Breakfast", ["food"], "Sat 07:30-09:30", "en", "free", "", "",
     "Hot breakfast, coffee and a warm room every Saturday morning."),
    ("lake-pantry", "Lakeside Food Pantry", ["food"], "Tue 14:00-18:00; Sat 09:00-12:00", "en",
     "free", "", "", "Groceries and personal care items once a week."),
    ("troutdale-aid", "Troutdale Food Boxes", ["food"], "Thu 16:00-19:00", "en es", "free", "", "",
     "Emergency food boxes and fresh bread."),
    # --- employment
    ("willamette-works", "Job Search Lab", ["employment"],
     "Mon,Wed,Fri 09:00-17:00; Tue,Thu 09:00-19:00", "en es", "free", "",
     "Resume if you have one; photo ID", "Computers, job listings and a coach to help with applications."),
    ("open-door", "Second Chance Hiring Program", ["employment"], "Mon-Thu 09:00-16:00", "en es",
     "free", "People with a criminal record", "Photo ID; Social Security card if you have it",
     "Job placement with employers who hire people with past convictions."),
    ("trades", "Construction Pre-Apprenticeship", ["employment", "education"],
     "Mon-Thu 08:00-15:00", "en es", "free", "Adults 18 and older; a driver's license helps",
     "Photo ID; work boots if you have them",
     "Ten-week hands-on training that leads to union apprenticeships."),
    ("youth-jobs", "Youth Job Readiness", ["employment"], "Mon-Fri 14:00-19:00", "en es ru", "free",
     "Young people ages 16 to 24", "", "Paid internships, job coaching and first-job support."),
    ("willamette-works", "Resume and Interview Workshop", ["employment"], "Wed 13:00-15:00",
     "en", "free", "", "A draft resume if you have one", "A two-hour weekly workshop; drop in."),
    ("recovery-center", "Recovery to Work Program", ["employment", "recovery-support"],
     "Mon-Fri 10:00-16:00", "en es", "free", "People in recovery from substance use", "",
     "Peer mentors help people in recovery find and keep a job."),
    ("workers-center", "Day Labor Center", ["employment"], "Mon-Sat 06:00-12:00", "es en",
     "free", "", "", "Fair day-labor jobs dispatched every morning, plus wage-theft help."),
    ("voc-rehab", "Vocational Rehabilitation", ["employment"],
     "appt: By appointment, weekdays", "en es", "free",
     "People with a disability that makes it hard to work", "Any medical or school records you have",
     "Counseling, training and job placement for people with disabilities."),
    ("new-arrivals", "Immigrant and Refugee Job Placement", ["employment"], "Mon-Fri 09:00-17:00",
     "en so vi ru zh es", "free", "Refugees, asylees and immigrants with work permits",
     "Work permit or immigration papers; photo ID",
     "Job placement and interview practice in your language."),
    ("dress-for-work", "Work Clothes for Interviews", ["employment", "clothing"],
     "appt: Fittings by appointment, Tuesday to Saturday", "en", "free", "Referral from a job program", "",
     "A free outfit for a job interview and a week of work clothes once hired."),
    ("kitchen-training", "Kitchen Skills Training", ["employment", "education"],
     "Mon-Fri 07:00-13:00", "en es", "free", "Adults 18 and older",
     "Photo ID", "Twelve-week paid food service training with a food handler card."),
    ("trades", "Forklift Certification", ["employment"], "Sat 08:00-16:00", "en es",
     "disc: $75, sliding scale down to free", "Adults 18 and older", "Photo ID",
     "One-day forklift safety class and certificate."),
    ("oc-resource", "Employment Drop-In", ["employment"], "Tue,Thu 13:00-17:00", "en es", "free", "",
     "", "Help with applications and resumes in Oregon City."),
    # --- transportation
    ("transit-access", "Reduced Fare Transit Enrollment", ["transportation"], "Mon-Fri 08:00-17:00",
     "en es vi ru zh", "free", "Income at or below 200% of the federal poverty level",
     "Photo ID; proof of income or an Oregon Health Plan card",
     "Sign up for half-price bus and train fares."),
    ("ride-line", "Medical Ride Scheduling", ["transportation", "health-care"],
     "Mon-Fri 07:00-18:00; Sat 08:00-12:00", "en es", "free: Free for Oregon Health Plan members",
     "Oregon Health Plan members", "Your Oregon Health Plan member number",
     "Free rides to medical, dental and counseling appointments. Call two days ahead."),
    ("spokes", "Earn-a-Bike Program", ["transportation"], "Tue-Sat 12:00-18:00", "en es",
     "disc: Sliding scale; earn a bike by volunteering", "", "",
     "Learn to fix bikes and earn one of your own. Repairs on a sliding scale."),
    ("senior-drivers", "Volunteer Driver Program", ["transportation"],
     "appt: Rides scheduled by phone, weekdays", "en", "free", "Adults 60 and older or people with disabilities",
     "", "Volunteer drivers for errands and appointments."),
    ("benefits-nav", "Gas Card Assistance", ["transportation", "money"], "Mon-Fri 09:00-17:00",
     "en es", "free", "Once a year; for a job, medical or court appointment", "Proof of the appointment",
     "A one-time gas card to get to an important appointment."),
    ("street-medicine", "Bus Passes for Appointments", ["transportation"], "Mon-Fri 09:00-16:00",
     "en es", "free", "", "", "Day passes for people going to health appointments."),
    ("record-clearing", "Driver's License Reinstatement Help", ["transportation", "legal-aid"],
     "Wed 10:00-15:00", "en es", "free", "", "Any letters from the DMV or court",
     "Help getting a suspended license back, including fines and fee waivers."),
    ("car-care", "Car Repair Assistance", ["transportation"], "appt: By appointment",
     "en", "disc: Low-cost repairs; parts at cost", "Income at or below 80% of area median",
     "Vehicle registration; photo ID", "Volunteer mechanics do safety repairs so you can keep driving to work."),
    ("access-shuttle", "Accessible Shuttle", ["transportation"], "Mon-Sat 06:00-21:00", "en",
     "cost: $2 a ride", "People who cannot use regular buses because of a disability",
     "Shuttle eligibility card", "Door-to-door wheelchair-accessible rides."),
    ("youth-jobs", "Youth Transit Pass", ["transportation"], "Mon-Fri 14:00-19:00", "en es",
     "free", "Ages 13 to 21", "School ID", "Free monthly transit passes for young people."),
    ("open-door", "Rides to Job Interviews", ["transportation", "employment"],
     "appt: Book at least one day ahead", "en es", "free", "", "The interview time and address",
     "Free rides to job interviews and the first two weeks of a new job."),
    # --- legal aid
    ("record-clearing", "Expungement Clinic", ["legal-aid"],
     "appt: Second Saturday of each month, 10:00-14:00, by appointment", "en es", "free", "",
     "Any court papers you have", "Lawyers help seal old arrests and convictions."),
    ("legal-line", "Free Legal Advice Line", ["legal-aid"],
     "Mon-Fri 09:00-12:00,13:00-16:00", "en es vi ru zh so", "free",
     "Household income at or below 200% of the federal poverty level", "",
     "Advice by phone about housing, benefits, family and consumer problems."),
    ("immigrant-law", "Immigration Legal Services", ["legal-aid"], "Mon-Thu 09:00-17:00",
     "es en vi zh ru so", "disc: Sliding scale; free consultations", "",
     "Passport, immigration papers and any letters from immigration offices",
     "DACA, asylum, family petitions, work permits and citizenship."),
    ("family-law", "Family Law Forms Help", ["legal-aid"], "Mon-Fri 08:30-12:00", "en es",
     "free", "", "Any court papers you have",
     "Help filling out custody, parenting time, divorce and support forms."),
    ("safe-harbor", "Domestic Violence Legal Advocacy", ["legal-aid"], "24/7", "en es", "free", "", "",
     "Advocates help with protective orders and court; the advocacy line answers day and night."),
    ("benefits-law", "Disability Benefits Appeals", ["legal-aid", "money"], "Mon-Fri 09:00-16:00",
     "en es", "free", "People denied SSI or SSDI", "Your denial letter",
     "Free help appealing a Social Security disability denial."),
    ("columbia-vets", "Veterans Legal Clinic", ["legal-aid"],
     "appt: First Wednesday of the month, by appointment", "en", "free", "Veterans", "DD-214 if you have it",
     "Volunteer lawyers for discharge upgrades, benefits and civil problems."),
    ("consumer-law", "Consumer Debt Legal Clinic", ["legal-aid", "money"], "Thu 17:00-20:00", "en",
     "free", "", "Collection letters and court papers",
     "Help with debt collectors, wage garnishment and debt lawsuits."),
    ("name-change", "Name and Gender Marker Change Clinic", ["legal-aid"], "Sat 11:00-15:00",
     "en es", "free: Free; help with court filing fee waivers", "", "Photo ID; birth certificate if you have it",
     "Help with the forms and fee waivers to change your legal name and gender marker."),
    ("bridgeway", "Youth Legal Help", ["legal-aid"], "Wed 15:00-18:00", "en es", "free",
     "Young people ages 14 to 24", "", "Lawyers for young people: school, police, housing and family issues."),
    # --- health care
    ("division-health", "Community Health Center", ["health-care"],
     "Mon-Fri 08:00-19:00; Sat 09:00-13:00", "en es vi zh", "disc: Sliding scale; Oregon Health Plan accepted",
     "", "Insurance card if you have one; list of your medicines",
     "Primary care, women's health, behavioral health and a pharmacy in one place."),
    ("division-health", "Free Dental Day", ["health-care"],
     "appt: Third Saturday of each month, 08:00-14:00; first come, first served", "en es",
     "free", "Adults without dental insurance", "",
     "Cleanings, fillings and extractions by volunteer dentists."),
    ("street-medicine", "Street Medicine Van", ["health-care"], "Mon,Wed,Fri 10:00-15:00", "en es",
     "free", "", "", "A medical van with a nurse and doctor visits camps and shelters."),
    ("discount-pharmacy", "Low-Cost Prescriptions", ["health-care"],
     "Mon-Fri 09:00-19:00; Sat 10:00-16:00", "en ru", "disc: $4 generics; discount card accepted", "",
     "Prescriptions; insurance card if you have one", "A neighborhood pharmacy with low-cost generic medicines."),
    ("benefits-nav", "Health Insurance Enrollment", ["health-care", "money"], "Mon-Fri 09:00-17:00",
     "en es vi ru zh so", "free", "", "Photo ID; proof of income; immigration papers if you have them",
     "Help signing up for the Oregon Health Plan or marketplace insurance."),
    ("urgent-walkin", "Walk-In Urgent Care", ["health-care"], "Daily 08:00-20:00", "en es",
     "disc: Sliding scale for people without insurance", "", "Insurance card if you have one; photo ID",
     "Walk-in care for illness and minor injuries."),
    ("womens-health", "Women's Health Clinic", ["health-care"], "Mon-Thu 08:30-17:00", "en es",
     "disc: Sliding scale; free birth control for eligible patients", "", "Insurance card if you have one",
     "Birth control, cancer screening, pregnancy tests and STI care."),
    ("vision", "Vision Screening and Free Glasses", ["health-care"], "Tue,Thu 10:00-15:00",
     "en es ru", "free", "Adults without vision insurance", "Your current glasses if you have them",
     "Eye exams and one free pair of glasses a year."),
    ("testing", "HIV and Hepatitis C Testing", ["health-care"], "Mon-Fri 10:00-18:00", "en es",
     "free", "", "", "Free rapid testing with results in 20 minutes; no ID needed."),
    ("se-nutrition", "Prenatal Care Clinic", ["health-care"], "Mon-Fri 08:00-16:30", "en es so",
     "disc: Sliding scale; Oregon Health Plan accepted", "Pregnant people", "Insurance card if you have one",
     "Prenatal visits, ultrasounds and childbirth classes."),
    ("school-health", "School-Based Health Center", ["health-care"], "Mon-Fri 08:00-16:00",
     "en es vi", "free", "Ages 5 to 18", "", "Checkups, sports physicals, vaccines and counseling for students."),
    ("tuesday-clinic", "Tuesday Night Free Clinic", ["health-care"], "Tue 18:00-21:00", "en es",
     "free", "People without health insurance", "List of your medicines",
     "Volunteer doctors and nurses see walk-in patients every Tuesday evening."),
    ("division-health", "Vaccination Clinic", ["health-care"], "Wed 13:00-18:00; Sat 09:00-12:00",
     "en es vi zh", "free", "", "Vaccination card if you have one", "Flu, COVID-19 and routine vaccines."),
    # --- mental health
    ("crisis-line", "24-Hour Crisis Line", ["mental-health"], "24/7", "en es", "free", "", "",
     "Talk to a trained counselor any time, day or night. Interpreters in over 100 languages."),
    ("walkin-crisis", "Urgent Walk-In Mental Health Center", ["mental-health"], "24/7", "en es",
     "free", "", "", "Walk in any time for urgent mental health care; no appointment needed."),
    ("counseling", "Sliding-Scale Counseling", ["mental-health"], "Mon-Thu 09:00-20:00; Fri 09:00-15:00",
     "en es", "disc: $10-$60 a session, sliding scale", "", "",
     "Individual, couples and family counseling with licensed counselors."),
    ("counseling", "Grief Support Group", ["mental-health"], "Mon 18:30-20:00", "en", "free", "", "",
     "A weekly drop-in group for people who have lost someone."),
    ("warmline", "Peer Warmline", ["mental-health"], "Daily 16:00-01:00", "en es", "free", "", "",
     "Talk with someone who has been there. Not a crisis line; for when you need to talk."),
    ("youth-mh", "Youth Mental Health Drop-In", ["mental-health"], "Mon-Fri 14:00-20:00", "en es",
     "free", "Young people ages 12 to 24", "", "Counselors and peer support for young people, no appointment."),
    ("viet-wellness", "Vietnamese Family Counseling", ["mental-health"], "Mon-Fri 09:00-17:00",
     "vi en", "free", "", "", "Counseling and family support in Vietnamese."),
    ("somali-wellness", "Somali Family Wellness Circle", ["mental-health"], "Sat 10:00-13:00",
     "so en", "free", "", "", "Support groups and counseling for Somali families."),
    ("trauma-group", "Trauma Recovery Group for Women", ["mental-health"], "Thu 18:00-19:30",
     "en", "free", "Women 18 and older", "", "A weekly skills and support group for women who have lived through trauma."),
    ("psych-clinic", "Psychiatric Medication Clinic", ["mental-health"],
     "appt: By appointment; referrals accepted", "en ru", "disc: Oregon Health Plan accepted; sliding scale",
     "Adults 18 and older", "Insurance card; list of your medicines",
     "Psychiatric evaluation and medication management."),
    ("vet-center", "Veterans Counseling", ["mental-health"], "Mon-Fri 08:00-16:30; Thu 08:00-19:00",
     "en", "free", "Veterans, service members and their families", "DD-214 if you have it",
     "Confidential counseling for veterans and families."),
    ("pride-support", "LGBTQ+ Support Group", ["mental-health"], "Tue 19:00-20:30", "en es",
     "free", "", "", "A peer support group for LGBTQ+ adults."),
    ("crisis-line", "Suicide Loss Survivors Group", ["mental-health"], "Wed 18:00-19:30", "en",
     "free", "", "", "A monthly-rotating support group for people who lost someone to suicide."),
    # --- recovery support
    ("recovery-center", "Peer Recovery Drop-In", ["recovery-support"], "Mon-Sat 09:00-21:00",
     "en es", "free", "", "", "Peer mentors, meetings, coffee and a place to be in recovery."),
    ("harm-reduction", "Naloxone and Harm Reduction Supplies", ["recovery-support", "health-care"],
     "Mon-Fri 11:00-17:00", "en es", "free", "", "",
     "Free naloxone, fentanyl test strips, safer use supplies and training."),
    ("all-recovery", "All-Recovery Meetings", ["recovery-support"],
     "Daily 07:00-08:00,19:00-20:00", "en", "free", "", "",
     "Meetings open to anyone in recovery from any substance or behavior."),
    ("nueva-esperanza", "Spanish-Language Recovery Meetings", ["recovery-support"],
     "Mon,Wed,Fri 19:00-20:30", "es", "free", "", "", "Reuniones de recuperación en español."),
    ("cornerstone", "Sober Living Referral Line", ["recovery-support", "housing"],
     "Mon-Fri 09:00-17:00", "en", "free", "", "", "Help finding an open bed in a sober living home."),
    ("recovery-cafe", "Recovery Community Café", ["recovery-support", "food"], "Tue-Sat 10:00-18:00",
     "en es", "free", "Members commit to staying sober and attending a weekly circle", "",
     "A community café for people in recovery: meals, classes and support circles."),
    ("recovery-center", "Peer Recovery Mentors", ["recovery-support"],
     "appt: By appointment, seven days a week", "en es ru", "free", "", "",
     "One-on-one support from a certified peer recovery mentor."),
    ("family-recovery", "Family Recovery Support Group", ["recovery-support", "mental-health"],
     "Thu 18:30-20:00", "en", "free", "Family and friends of someone with an addiction", "",
     "Support and education for families."),
    ("harm-reduction", "Syringe Service Program", ["recovery-support", "health-care"],
     "Mon,Thu 12:00-16:00", "en es", "free", "", "", "Sterile supplies, disposal and wound care."),
    ("all-recovery", "Late-Night Recovery Meeting", ["recovery-support"], "Fri,Sat 23:00-00:30",
     "en", "free", "", "", "A late meeting for the hardest hours of the weekend."),
    ("sober-sports", "Sober Active Sports Club", ["recovery-support"], "Sat 09:00-11:00; Tue 18:00-19:30",
     "en", "free", "30 days sober", "Comfortable shoes", "Hiking, climbing and running with people in recovery."),
    ("eastgate-college", "Collegiate Recovery Program", ["recovery-support", "education"],
     "Mon-Fri 10:00-16:00", "en", "free", "Eastgate students in recovery", "Student ID",
     "A lounge, peer support and sober events for students."),
    # --- childcare
    ("early-steps", "Head Start Preschool", ["childcare", "education"], "Mon-Thu 08:30-14:30",
     "en es vi so", "free", "Children ages 3 to 5; household income limits apply",
     "Child's birth certificate; immunization record; proof of income",
     "Free preschool with meals, health screenings and family support."),
    ("childcare-connect", "Child Care Subsidy Enrollment", ["childcare", "money"],
     "Mon-Fri 09:00-17:00", "en es ru vi", "free", "Working parents or parents in school or training",
     "Pay stubs or school schedule; child's birth certificate",
     "Help applying for child care payment help."),
    ("division-health", "Drop-In Child Care During Appointments", ["childcare"],
     "Mon-Fri 09:00-15:00", "en es", "free", "Children 6 months to 10 years; parent stays in the building", "",
     "Safe child care while you are at an appointment in the building."),
    ("adult-learning", "Evening Child Care for Students", ["childcare"], "Mon-Thu 17:30-21:30",
     "en es", "free", "Children of students in evening classes", "", "Child care during evening classes."),
    ("early-steps", "Parent-Child Playgroup", ["childcare"], "Fri 10:00-11:30", "en es so",
     "free", "Children 0 to 5 with a parent or caregiver", "", "Play, songs and parent support."),
    ("after-school", "After-School Program", ["childcare"], "Mon-Fri 15:00-18:00", "en es",
     "disc: Sliding scale from $0", "Children ages 6 to 12", "Child's school information",
     "Homework help, snacks and activities after school."),
    ("crisis-nursery", "Crisis Nursery", ["childcare"], "24/7", "en es", "free",
     "Children from birth to age 6", "Diapers and medicine your child needs if you have them",
     "Free emergency child care up to 72 hours when a family is in crisis."),
    ("childcare-connect", "Child Care Referral Line", ["childcare"], "Mon-Fri 09:00-17:00",
     "en es zh", "free", "", "", "Find licensed child care near home or work."),
    ("infant-center", "Infant and Toddler Center", ["childcare"], "Mon-Fri 07:00-18:00", "en es",
     "disc: Sliding scale; child care subsidy accepted", "Children 6 weeks to 3 years",
     "Immunization record", "Full-day care for babies and toddlers."),
    ("after-school", "Summer Day Camp Scholarships", ["childcare", "money"],
     "appt: Apply by phone from March to May", "en es", "free", "Children ages 6 to 12", "Proof of income",
     "Full scholarships for summer day camp."),
    ("diaper-bank", "Diaper Bank", ["childcare", "clothing"], "Tue 10:00-14:00; Thu 16:00-19:00",
     "en es so", "free", "Families with children in diapers", "",
     "A month of diapers and wipes, plus baby clothes when available."),
    # --- education
    ("adult-learning", "GED Preparation Classes", ["education"], "Mon-Thu 18:00-20:30", "en es",
     "free", "Adults 18 and older", "Photo ID", "Free GED classes and test vouchers."),
    ("esl", "English Classes for Adults", ["education"], "Tue,Thu 10:00-12:00,18:00-20:00",
     "en es vi ru zh so", "free", "", "", "Beginning to advanced English classes, day or evening."),
    ("adult-learning", "Adult Literacy Tutoring", ["education"], "appt: Tutors meet by appointment",
     "en", "free", "Adults 18 and older", "", "One-on-one reading and writing help with volunteer tutors."),
    ("library", "Computer Skills Lab", ["education"], "Mon-Sat 10:00-18:00; Sun 12:00-17:00",
     "en es vi", "free", "", "Library card or photo ID", "Free computers, printing and weekly computer classes."),
    ("college-access", "College Enrollment and Financial Aid Help", ["education", "money"],
     "Mon-Fri 10:00-18:00", "en es", "free", "", "Tax forms; photo ID; school transcripts if you have them",
     "Help with college applications, FAFSA and scholarships."),
    ("citizenship", "Citizenship Classes", ["education", "legal-aid"], "Sat 09:00-12:00", "es en vi zh",
     "free", "Permanent residents", "Green card", "Classes for the citizenship test and help with the application."),
    ("credit-union", "Financial Literacy Workshop", ["education", "money"], "Thu 18:00-19:30",
     "en es", "free", "", "", "Budgeting, credit and banking basics."),
    ("parenting", "Parenting Classes", ["education", "childcare"], "Mon 18:00-20:00; Sat 10:00-12:00",
     "en es", "free", "Parents and caregivers", "", "Eight-week parenting series with child care and dinner."),
    ("adult-learning", "Adult High School Diploma", ["education"], "Mon-Fri 09:00-15:00", "en es",
     "free", "Adults 19 and older without a diploma", "Old transcripts if you have them",
     "Finish your high school diploma at your own pace."),
    ("library", "Digital Literacy for Seniors", ["education"], "Wed 10:00-12:00", "en ru zh",
     "free", "Adults 60 and older", "Your phone or tablet", "Learn to use smartphones, email and video calls."),
    ("eastgate-college", "Career Training Scholarships", ["education", "employment"],
     "Mon-Fri 09:00-17:00", "en es", "free", "Adults with income at or below 200% of the federal poverty level",
     "Photo ID; proof of income", "Tuition for short certificate programs in health care, trades and IT."),
    # --- clothing
    ("clothing-closet", "Free Clothing Closet", ["clothing"], "Wed 12:00-16:00; Sat 10:00-13:00",
     "en es", "free", "", "A bag", "Free clothes for adults and children, seven items a visit."),
    ("clothing-closet", "Winter Coat Giveaway", ["clothing"],
     "Sat 10:00-13:00 | November to February only", "en es", "free", "", "",
     "Warm coats, hats and gloves for all ages."),
    ("kids-exchange", "Kids' Clothing Exchange", ["clothing", "childcare"], "Sat 09:00-12:00",
     "en", "free", "", "Outgrown clothes to swap, if you have them", "Swap or take children's clothing."),
    ("shoe-bank", "Shoe Bank", ["clothing"], "Mon 14:00-17:00", "en es", "free", "", "",
     "New shoes and socks, one pair a season."),
    ("laundry", "Free Laundry Day", ["clothing"], "Tue 09:00-13:00", "en es", "free", "", "",
     "Free washers, dryers and detergent every Tuesday."),
    ("hygiene-hub", "Shower and Clothing Hub", ["clothing"], "Mon-Fri 07:00-11:00", "en es",
     "free", "", "", "Hot showers, clean clothes and hygiene kits."),
    ("gender-closet", "Gender-Affirming Clothing Closet", ["clothing"], "Sun 12:00-16:00", "en",
     "free", "", "", "Free clothing, binders and accessories for trans and nonbinary people."),
    ("st-brigid", "Clothing Room", ["clothing"], "Thu 11:30-13:00", "en es", "free", "", "",
     "Free clothing after lunch every Thursday."),
    ("oc-resource", "Clothing and Hygiene Pantry", ["clothing"], "Wed 10:00-14:00", "en es",
     "free", "", "", "Clothing, blankets and hygiene supplies."),
    ("troutdale-aid", "Troutdale Clothing Swap", ["clothing"], "Sat 10:00-12:00", "en", "free", "",
     "", "Take what you need; bring what you can spare."),
    ("youth-jobs", "Work Uniform Vouchers", ["clothing", "employment"], "Mon-Fri 14:00-19:00",
     "en es", "free", "Young people ages 16 to 24 starting a job", "Job offer letter",
     "Vouchers for work boots, uniforms and safety gear."),
    # --- utilities
    ("energy-help", "Energy Bill Assistance", ["utilities"], "Mon-Fri 09:00-16:00",
     "en es vi ru zh so", "free", "Household income at or below 60% of state median income",
     "Most recent utility bills; photo ID; proof of income for all adults in the household",
     "Help paying heating and electric bills once a year."),
    ("water-help", "Water Bill Discount Program", ["utilities"], "Mon-Fri 08:00-17:00", "en es vi",
     "free", "Income-qualified households", "Water bill; proof of income",
     "Discounts and payment plans on water and sewer bills."),
    ("weatherize", "Free Weatherization", ["utilities", "housing"], "appt: Home visits by appointment",
     "en es", "free", "Homeowners and renters with income limits", "Utility bill; proof of income",
     "Insulation, window repairs and furnace checks to lower heating bills."),
    ("phone-program", "Free Phone and Internet Sign-Up", ["utilities"], "Mon-Sat 10:00-18:00",
     "en es zh vi", "free", "People on SNAP, Medicaid, SSI or with low income", "Benefits card or letter; photo ID",
     "Free or discounted phones and home internet."),
    ("energy-help", "Shutoff Prevention", ["utilities"], "Mon-Fri 09:00-16:00", "en es", "free",
     "Households with a shutoff notice", "Shutoff notice; photo ID",
     "Emergency help when your power or gas is about to be shut off."),
    ("emergency-fund", "Utility Deposit Help", ["utilities", "money"], "Tue,Thu 10:00-14:00", "en",
     "free", "", "Utility account information", "Pays utility deposits for people moving into housing."),
    ("heat-seniors", "Heating Repair for Seniors", ["utilities"], "appt: By appointment", "en",
     "free", "Homeowners 62 and older", "", "Free furnace repair and replacement for older homeowners."),
    ("weatherize", "Energy Saving Workshop", ["utilities", "education"], "Sat 10:00-12:00", "en es",
     "free", "", "", "Learn to cut energy bills; take home a free efficiency kit."),
    ("energy-help", "Summer Cooling Program", ["utilities"],
     "Mon-Fri 09:00-16:00 | June to September", "en es", "free",
     "Older adults and people with medical conditions", "Photo ID",
     "Free fans and air conditioners during heat season."),
    ("benefits-nav", "Utility Payment Plan Help", ["utilities", "money"], "Wed 13:00-17:00",
     "en es", "free", "", "Recent utility bills", "Help setting up affordable payment plans with utility companies."),
    ("oc-resource", "Energy Assistance Clackamas", ["utilities"], "Mon,Wed 09:00-15:00", "en es",
     "free", "Clackamas County residents with income limits", "Utility bills; photo ID",
     "Heating bill help for Clackamas County households."),
    # --- money
    ("tax-help", "Free Tax Preparation", ["money"],
     "Tue,Thu 16:00-20:00; Sat 10:00-15:00 | January 20 to April 15 only", "en es vi zh", "free",
     "Household income under $67,000", "Photo ID; Social Security cards; W-2s and 1099s; last year's return",
     "IRS-certified volunteers prepare and file your taxes for free."),
    ("emergency-fund", "Emergency Cash Assistance", ["money"], "Tue,Thu 10:00-14:00", "en es",
     "free", "Once a year; a one-time emergency", "Photo ID; a bill or estimate for the emergency",
     "Small one-time grants for car repairs, medical bills and other emergencies."),
    ("credit-union", "Financial Coaching", ["money"], "appt: By appointment, weekdays and evenings",
     "en es", "free", "", "Recent bills and pay stubs", "One-on-one coaching on budgets, credit and debt."),
    ("credit-union", "Second-Chance Checking", ["money"], "Mon-Fri 09:00-17:00; Sat 09:00-13:00",
     "en es vi", "cost: $5 a month, waived with direct deposit", "", "Photo ID; proof of address",
     "A checking account for people turned away by other banks."),
    ("benefits-nav", "Benefits Enrollment", ["money", "food"], "Mon-Fri 09:00-17:00",
     "en es vi ru zh so", "free", "", "Photo ID; proof of income; rent receipt",
     "Apply for SNAP, TANF, the Oregon Health Plan and more in one visit."),
    ("benefits-law", "SSI and SSDI Application Help", ["money", "legal-aid"], "Mon-Fri 09:00-16:00",
     "en es", "free", "People with a disability who cannot work", "Medical records; work history",
     "Help applying for Social Security disability benefits."),
    ("savings", "Matched Savings Program", ["money"], "Mon-Fri 10:00-17:00", "en es", "free",
     "Income at or below 80% of area median; earned income", "Pay stubs; photo ID",
     "Save for school, a home or a business; every dollar saved is matched three to one."),
    ("payee", "Payee Services", ["money"], "Mon-Fri 09:00-15:00", "en", "cost: $25 a month",
     "People who receive Social Security benefits and need help managing them", "Benefits letter",
     "A representative payee pays your rent and bills from your benefits."),
    ("microloans", "Small Business Microloans", ["money", "employment"], "Mon-Thu 09:00-17:00",
     "en es", "cost: Loans from $500 to $10,000 at low interest", "", "Business idea or plan; photo ID",
     "Small loans and coaching for people starting a business."),
    ("id-help", "ID and Birth Certificate Fee Help", ["money"], "Mon,Wed 10:00-15:00", "en es",
     "free", "", "Any ID or papers you have",
     "Pays for state IDs, birth certificates and other documents you need."),
    ("debt-counsel", "Debt Counseling", ["money"], "Mon-Fri 09:00-18:00", "en es",
     "free: Free counseling; optional plans have a small fee", "", "Recent statements from your creditors",
     "Nonprofit credit counseling and debt management plans."),
    ("emergency-fund", "One-Time Rent and Utility Grants", ["money", "housing", "utilities"],
     "Tue,Thu 10:00-14:00", "en es", "free", "Behind on rent or utilities because of a recent crisis",
     "Lease; past-due notice; photo ID", "One-time grants paid directly to your landlord or utility."),
    ("lake-pantry", "Emergency Gift Cards", ["money", "food"], "Tue 14:00-18:00", "en", "free",
     "Lake Oswego residents", "Proof of address", "Grocery and gas gift cards for emergencies."),
]


def rng(*key):
    return random.Random("/".join((SEED,) + key))


def km_between(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def site_for(key, area):
    """A street address and position in `area`, 0.3-25 km from the clinic."""
    (lat, lon), city, state, zipcode, streets, (lo, hi) = AREAS[area]
    r = rng("site", key)
    while True:
        # Up to ~700 m from the area's centre.
        p = (round(lat + r.uniform(-0.006, 0.006), 5), round(lon + r.uniform(-0.008, 0.008), 5))
        if 0.3 <= km_between(CLINIC, p) <= 25.0:
            break
    number = r.randint(lo // 10, hi // 10) * 10 + r.choice((0, 2, 4, 5, 6, 8))
    street = r.choice(streets)
    return {"line": [f"{number} {street}"], "city": city, "state": state,
            "postalCode": zipcode, "country": "US"}, p


def last_updated(key):
    r = rng("updated", key)
    moment = datetime(2025, 6, 1, tzinfo=timezone.utc) + timedelta(minutes=r.randint(0, 200 * 24 * 60))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def phone_numbers():
    """503-555-0100..0199 (fictional), never the clinic's own."""
    return [f"503-555-01{n:02d}" for n in range(100) if f"503-555-01{n:02d}" != CLINIC_PHONE]


def day_list(spec):
    """'Mon-Fri' / 'Tue,Thu' / 'Daily' -> ['mon', ...]."""
    if spec == "Daily":
        return list(DAYS)
    out = []
    for part in spec.split(","):
        if "-" in part:
            a, b = (DAY_WORDS.index(x) for x in part.split("-"))
            out += [DAYS[i % 7] for i in range(a, b + 1 if b >= a else b + 8)]
        else:
            out.append(DAYS[DAY_WORDS.index(part)])
    return out


def available_time(hours):
    """The availableTime / notAvailable / availabilityExceptions of a service's hours text."""
    out = {}
    text, _, note = (part.strip() for part in hours.partition("|"))
    if text == "24/7":
        out["availableTime"] = [{"daysOfWeek": list(DAYS), "allDay": True}]
    elif text.startswith("appt:"):
        out["availabilityExceptions"] = text[5:].strip()
    else:
        times = []
        for group in text.split(";"):
            days, spans = group.strip().split(" ", 1)
            for span in spans.split(","):
                start, end = span.split("-")
                times.append({"daysOfWeek": day_list(days), "availableStartTime": start + ":00",
                              "availableEndTime": end + ":00"})
        out["availableTime"] = times
    if note:
        out["notAvailable"] = [{"description": note}]
    return out


def provision(cost):
    kind, _, words = cost.partition(":")
    words = words.strip()
    code = {"free": "free", "disc": "disc", "cost": "cost"}[kind]
    display = {"free": "Free", "disc": "Discounts Available", "cost": "Fees apply"}[code]
    concept = {"coding": [{"system": PROVISION, "code": code, "display": display}]}
    concept["text"] = words or display
    return [concept]


def build():
    phones = iter(phone_numbers())
    orgs, locations, services = [], [], []
    org_ids, loc_ids = {}, {}
    for n, (key, (name, area, slug)) in enumerate(ORGS.items(), 1):
        oid, lid = f"org-{n:03d}", f"dir-loc-{n:03d}"
        org_ids[key], loc_ids[key] = oid, lid
        address, (lat, lon) = site_for(key, area)
        telecom = [] if key in NO_PHONE else [{"system": "phone", "value": next(phones), "use": "work"}]
        if slug:
            telecom.append({"system": "url", "value": f"https://{slug}.example.org"})
        org = {"resourceType": "Organization", "id": oid,
               "meta": {"lastUpdated": last_updated(oid)}, "active": True, "name": name}
        if telecom:
            org["telecom"] = telecom
        org["address"] = [address]
        orgs.append(org)
        locations.append({"resourceType": "Location", "id": lid,
                          "meta": {"lastUpdated": last_updated(lid)}, "status": "active",
                          "name": name, "mode": "instance", "address": address,
                          "position": {"longitude": lon, "latitude": lat},
                          "managingOrganization": {"reference": f"Organization/{oid}"}})
    by_org = {}
    for n, (org, name, cats, hours, langs, cost, elig, bring, desc) in enumerate(SERVICES, 1):
        sid = f"hs-{n:03d}"
        r = rng("service", sid)
        category = []
        for c in cats:
            coding = [{"system": CATEGORY_SYSTEM, "code": c, "display": CATEGORY_WORDS[c]}]
            if c in SDOH_CODES and r.random() < 0.4:
                coding.append({"system": SDOH, "code": SDOH_CODES[c]})
            category.append({"coding": coding, "text": CATEGORY_WORDS[c]})
        res = {"resourceType": "HealthcareService", "id": sid,
               "meta": {"lastUpdated": last_updated(sid)}}
        if bring:
            res["extension"] = [{"url": BRING_EXT, "valueString": item.strip()}
                                for item in bring.split(";")]
        res.update({
            "active": True,
            "providedBy": {"reference": f"Organization/{org_ids[org]}", "display": ORGS[org][0]},
            "category": category,
            "location": [{"reference": f"Location/{loc_ids[org]}"}],
            "name": name,
            "comment": desc,
        })
        # The first service of an organization usually lists the phone itself; the others are
        # reached through the organization's (the mapping falls back to it).
        by_org[org] = by_org.get(org, 0) + 1
        org_telecom = orgs[int(org_ids[org][4:]) - 1].get("telecom", [])
        if by_org[org] == 1 and org_telecom and r.random() < 0.7:
            res["telecom"] = [dict(org_telecom[0])]
        res["serviceProvisionCode"] = provision(cost)
        if elig:
            res["eligibility"] = [{"comment": elig}]
        res["communication"] = [
            {"coding": [{"system": BCP47, "code": tag, "display": LANGUAGE_NAMES[tag]}]}
            for tag in langs.split()]
        res.update(available_time(hours))
        services.append(res)
    return orgs + locations + services


def main():
    resources = build()
    bundle = {"resourceType": "Bundle", "id": "demo-directory", "type": "collection",
              "entry": [{"resource": res} for res in resources]}
    with open(HERE / "directory.json", "w", encoding="utf-8", newline="\n") as out:
        json.dump(bundle, out, ensure_ascii=False, indent=1)
        out.write("\n")
    counts = {}
    for res in resources:
        counts[res["resourceType"]] = counts.get(res["resourceType"], 0) + 1
    print(", ".join(f"{kind} {n}" for kind, n in counts.items()))


if __name__ == "__main__":
    main()
